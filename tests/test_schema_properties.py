"""Property-based tests from the OpenAPI schema, on SQLite and on PostgreSQL: no
generated request gets a 500, and every answer conforms to what the API publishes.

Every check of schemathesis runs: server errors, status codes, content types,
response schemas and headers, Allow headers, schema-valid data accepted and
invalid data refused (both generation modes), and a stateful run that follows
the links between operations (an id created by one answer used in the next).

Each engine gets its own migrated database with the small demo programme, and
each generated request goes to both, SQLite first (a failure says on which). The
requests come as a coordinator (the role that reaches every operation) with an
API token. The number of examples is bounded to keep the whole near a minute.
"""

import inspect
from functools import cached_property

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, settings  # noqa: E402

from tests.conftest import PG_URL, TEST_VAR, demo_database  # noqa: E402
from tests.factories.commands import output_of  # noqa: E402

WORKDIR = TEST_VAR  # this process's own directory, removed at its end
EXAMPLES = settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck), database=None)
STATEFUL = settings(
    max_examples=8, stateful_step_count=6, deadline=None, suppress_health_check=list(HealthCheck), database=None
)


def _keep_operation_configs() -> None:
    """schemathesis merges its configuration for an operation (file, phase, operation blocks)
    anew for every request it checks: a sixth of these tests' time. The configuration does
    not change during a run, so each operation's and phase's merge is made once and kept."""
    from schemathesis.config._projects import ProjectConfig

    def kept(merge, takes_phase: bool):
        merged: dict = {}

        def lookup(self, *, operation=None, phase=None):
            # The config is kept with its merge, so that its id names it for as long as the merge is kept.
            key = (id(self), operation.label if operation is not None else None, phase)
            if key not in merged:
                merged[key] = (self, merge(self, operation=operation, **({"phase": phase} if takes_phase else {})))
            return merged[key][1]

        return lookup

    ProjectConfig.checks_config_for = kept(ProjectConfig.checks_config_for, takes_phase=True)  # type: ignore[method-assign]
    ProjectConfig.phases_for = kept(ProjectConfig.phases_for, takes_phase=False)  # type: ignore[method-assign]


_keep_operation_configs()


def _build_each_test_when_it_first_runs() -> None:
    """schemathesis builds each operation's test, with all its coverage cases, as it collects
    it: 7 s in every worker of a run, though one worker runs these tests. Each test is built
    when it first runs instead. A schema error then fails that test as it runs."""
    from schemathesis.pytest import _test_builder

    build = _test_builder.build_operation_test

    def build_later(**arguments):
        built = []

        def test(*args, **kwargs):
            if not built:
                built.append(build(**arguments))
                test.__dict__.update(built[0].__dict__)  # the marks schemathesis reads after a run
            return built[0](*args, **kwargs)

        given = arguments["given_kwargs"]
        signature = inspect.signature(arguments["test_func"])
        test.__signature__ = signature.replace(  # type: ignore[attr-defined]
            parameters=[p for p in signature.parameters.values() if p.name not in given and p.name != "case"]
        )
        test.__name__ = arguments["test_func"].__name__
        return test

    _test_builder.build_operation_test = build_later  # type: ignore[assignment]


_build_each_test_when_it_first_runs()


class Engine:
    """One engine's demo database, its app and the coordinator's token, made when a test first asks."""

    def __init__(self, kind: str) -> None:
        self.kind = kind

    @cached_property
    def url(self) -> str:
        return demo_database(self.kind, WORKDIR)  # migrated, with the small demo programme; dropped with the run

    @cached_property
    def headers(self) -> dict[str, str]:
        return {"Authorization": "Bearer " + output_of(self.url, "user", "token", "koordinaattori").strip()}

    @cached_property
    def engine(self):
        from digiystava import db

        return db.engine_from_url(self.url)

    @cached_property
    def app(self):
        from digiystava.app import create_app
        from digiystava.settings import get_settings

        return create_app(get_settings(), self.engine)

    @cached_property
    def client(self):
        """One in-process client per engine for every case, with the coordinator's token. It
        reads no proxy settings from the environment (the app is called in this process)."""
        from schemathesis.python import asgi

        client = asgi.get_client(self.app).__enter__()
        client.trust_env = False
        client.headers.update(self.headers)
        return client

    def bind(self) -> None:
        """The app reads through the bound engine; other tests bind theirs."""
        from digiystava import db

        db.bind(self.engine)


def _schema_app():
    """An app that only publishes the schema (it opens no database): collection stays quick
    in every worker, and only the worker that runs these tests makes the demo databases."""
    from digiystava import db
    from digiystava.app import create_app
    from digiystava.settings import get_settings

    return create_app(get_settings(), db.engine_from_url(f"sqlite:///{WORKDIR / 'unused.sqlite'}"))


ENGINES = {"sqlite": Engine("sqlite"), **({"postgres": Engine("postgres")} if PG_URL else {})}
# One schema for both engines (the apps publish the same one): each case is made once and
# sent to each engine's app in turn.
SCHEMA = schemathesis.openapi.from_asgi("/schema/openapi.json", _schema_app())
# One worker runs them all: the two demo databases are made once in the run.
pytestmark = pytest.mark.xdist_group("schema")


@SCHEMA.parametrize()
@EXAMPLES
def test_api_follows_its_schema(case):
    for engine in ENGINES.values():
        engine.bind()
        try:
            case.call_and_validate(session=engine.client)
        except BaseException as failure:
            failure.add_note(f"on {engine.kind}")
            raise


def _stateful_test(engine: Engine):
    def test():
        engine.bind()

        class Workflow(SCHEMA.as_state_machine()):  # type: ignore[misc]
            def get_call_kwargs(self, case):
                return {"headers": engine.headers, "app": engine.app}

        Workflow.run(settings=STATEFUL)

    return test


test_linked_operations_follow_the_schema_on_sqlite = _stateful_test(ENGINES["sqlite"])
if "postgres" in ENGINES:
    test_linked_operations_follow_the_schema_on_postgres = _stateful_test(ENGINES["postgres"])
else:

    @pytest.mark.skip(reason="DIGIYSTAVA_TEST_DATABASE_URL is not set: PostgreSQL tests skipped")
    def test_api_follows_its_schema_on_postgres():
        """Runs when PostgreSQL is configured."""
