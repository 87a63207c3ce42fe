"""Start-up stays quick: the app is built without loading the heavy libraries, which load on first use.

That is one reason for an import inside a function. The other is the command line: each command
imports what it uses, so ``digiystava user token`` never loads the PDF layouts or the reports. Every
other import stands at the top of its module, so what a module needs is in plain sight and no import
circle hides in a function body (nothing imports the command line, so none can hide there).
"""

import os
import subprocess
import sys
from pathlib import Path

from tests.import_graph import function_imports, graph, reach

ROOT = Path(__file__).resolve().parents[2]
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
)
# The command line's own start: what a command needs, it loads itself (digiystava/cli.py).
COMMAND_LINE = "digiystava.cli"
SCRIPT = f"""
import sys
from digiystava.app import create_app
create_app()
print(",".join(m for m in {HEAVY!r} if m in sys.modules))
"""


def test_create_app_loads_no_heavy_library(tmp_path):
    env = {
        **os.environ,
        "DIGIYSTAVA_DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite",
        "DIGIYSTAVA_SECRET_KEY": "k" * 40,
        "PICCOLO_CONF": "piccolo_conf",
    }
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"loaded at start-up: {result.stdout.strip()}"


def test_the_command_line_loads_no_web_framework(tmp_path):
    """Every ``digiystava`` command starts without Litestar: the core it calls knows nothing of the web."""
    env = {**os.environ, "DIGIYSTAVA_DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite", "PICCOLO_CONF": "piccolo_conf"}
    script = "import sys, digiystava.cli; print(sorted(m for m in sys.modules if m.split('.')[0] == 'litestar')[:5])"
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]", f"the command line loaded: {result.stdout.strip()}"


def test_the_command_line_starts_without_what_its_commands_load(tmp_path):
    """None of its commands' libraries load before a command runs: ``--help`` answers at once."""
    env = {**os.environ, "DIGIYSTAVA_DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite", "PICCOLO_CONF": "piccolo_conf"}
    unwanted = (*HEAVY, "piccolo", "pydantic", "babel")  # the commands' libraries, down to the database layer
    script = f"import sys, digiystava.cli; print(','.join(m for m in {unwanted!r} if m in sys.modules))"
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"the command line loaded at its start: {result.stdout.strip()}"


def _heavy(target: str) -> bool:
    """A heavy library, or a module of ours that loads one as it is imported (a PDF layout)."""
    return any(name.split(".")[0] in HEAVY for name in (target, *reach(target)))


def test_imports_inside_functions_only_defer_heavy_libraries():
    inside = [i for i in function_imports() if i.module != COMMAND_LINE]
    assert any(_heavy(target) for i in inside for target in i.targets)  # the rule has something to see
    light = [f"{i.module}:{i.line} {', '.join(i.targets)}" for i in inside if not all(_heavy(t) for t in i.targets)]
    assert light == [], "import these at the top of the module"


def test_nothing_imports_the_command_line():
    """Its commands import inside their bodies, which is safe only while no module of ours imports it."""
    importers = sorted(m for m, targets in graph().items() if COMMAND_LINE in targets)
    assert importers == ["digiystava.__main__"]
