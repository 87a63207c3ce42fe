"""The house plan, checked on the source: dependencies point one way, and the core knows nothing of the web."""

from tests.import_graph import cycles, graph, reach

# Domain errors, access rules and schemas are the ground floor: services, the command line and
# the printing layer use them without the web framework (the web layer maps them to answers).
CORE = ("digiystava.access", "digiystava.errors", "digiystava.schemas")


def test_no_import_circle():
    assert cycles() == [], "modules that import each other, directly or round a circle"


def test_the_graph_sees_the_project():
    # NOTE: guards the two tests around it against passing on an empty or misread graph.
    assert "cohorts.tables" in graph()["digiystava.access"]
    assert "digiystava.errors" in graph()["digiystava.web.problems"]
    assert any(target.startswith("litestar") for target in graph()["digiystava.web.problems"])


def test_the_core_loads_no_litestar():
    for module in CORE:
        web = sorted(t for t in reach(module) if t.split(".")[0] == "litestar" or t.startswith("digiystava.web"))
        assert web == [], f"{module} loads {web}"
