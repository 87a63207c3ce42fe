"""Start-up stays quick: the app is built without loading the heavy libraries, which load on first use.

That is one reason for an import inside a function. The other is the command line: each command
imports what it uses, so ``digiystava user token`` never loads the PDF layouts or the reports. Every
other import stands at the top of its module, so what a module needs is in plain sight and no import
circle hides in a function body (nothing imports the command line, so none can hide there).
"""

from tests.import_graph import function_imports, graph, loaded_after, reach

# NOTE: each costs tens to hundreds of milliseconds to load (python -X importtime), on every worker's start.
HEAVY = (
    "matplotlib",
    "reportlab",
    "scipy",
    "numpy",
    "qrcode",
    "pypdf",
    "PIL",
    "openpyxl",
    "uvicorn",
    "icalendar",
    "holidays",
    "black",  # Piccolo's migration tools and app registry load it (digiystava/apps.py, migrations.py)
)
# Modules of other libraries that load one of the heavy ones as they are imported.
LOADS_HEAVY = ("piccolo.apps.migrations",)
# The command line's own start: what a command needs, it loads itself (digiystava/cli.py).
COMMAND_LINE = "digiystava.cli"


def test_create_app_loads_no_heavy_library(tmp_path):
    code = "from digiystava.app import create_app\ncreate_app()"
    assert loaded_after(code, tmp_path, HEAVY) == [], "loaded at start-up"


def test_importing_the_app_reads_no_settings(tmp_path):
    """Settings are read as an app is built (``create_app(settings)``), not as its modules load:
    an app built with other settings takes them, and a process may load the app first."""
    code = (
        "import digiystava.app\n"
        "from digiystava.settings import get_settings\n"
        "assert get_settings.cache_info().currsize == 0, 'read as the app loaded'"
    )
    assert loaded_after(code, tmp_path, ()) == []


def test_the_command_line_loads_no_web_framework(tmp_path):
    """Every ``digiystava`` command starts without Litestar: the core it calls knows nothing of the web."""
    assert loaded_after("import digiystava.cli", tmp_path, ("litestar",)) == []


def test_the_command_line_starts_without_what_its_commands_load(tmp_path):
    """None of its commands' libraries load before a command runs: ``--help`` answers at once."""
    unwanted = (*HEAVY, "piccolo", "pydantic", "babel")  # the commands' libraries, down to the database layer
    assert loaded_after("import digiystava.cli", tmp_path, unwanted) == [], "the command line loaded at its start"


def _heavy(target: str) -> bool:
    """A heavy library, or a module of ours that loads one as it is imported (a PDF layout)."""
    return any(
        name.split(".")[0] in HEAVY or name.startswith(tuple(f"{m}." for m in LOADS_HEAVY))
        for name in (target, *reach(target))
    )


def test_imports_inside_functions_only_defer_heavy_libraries():
    inside = [i for i in function_imports() if i.module != COMMAND_LINE]
    assert any(_heavy(target) for i in inside for target in i.targets)  # the rule has something to see
    light = [f"{i.module}:{i.line} {', '.join(i.targets)}" for i in inside if not all(_heavy(t) for t in i.targets)]
    assert light == [], "import these at the top of the module"


def test_nothing_imports_the_command_line():
    """Its commands import inside their bodies, which is safe only while no module of ours imports it."""
    importers = sorted(m for m, targets in graph().items() if COMMAND_LINE in targets)
    assert importers == ["digiystava.__main__"]
