"""pdf_templates is the one printing layer: every PDF layout lives there, and it leans on no app.

The apps fetch data and hand plain values to a document function; the printing layer knows
nothing of the web, the Piccolo apps, Litestar or Piccolo. Checked by reading the import
statements (ast), so an import inside a function counts too.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# NOTE: digiystava.i18n is the one door into the project package: the shared catalogs and Babel.
ALLOWED_FROM_PROJECT = {"digiystava.i18n"}
FORBIDDEN = ("digiystava", "cohorts", "assessments", "litestar", "piccolo")
# The style sheet's page builders; its colours and text helpers also serve the charts of the pages.
PAGE_BUILDERS = {"build_document", "drawing_canvas", "stylesheet", "para", "data_table", "step_list"}


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
    return names


def _under(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def test_the_printing_layer_imports_no_app_and_no_web():
    offences = []
    for path in sorted((ROOT / "pdf_templates").rglob("*.py")):
        for name in imported_modules(path):
            if any(_under(name, allowed) for allowed in ALLOWED_FROM_PROJECT):
                continue
            if any(_under(name, package) for package in FORBIDDEN):
                offences.append(f"{path.relative_to(ROOT)}: {name}")
    assert not offences, offences


def test_every_pdf_layout_lives_in_the_printing_layer():
    drawing = []
    for package in ("digiystava", "cohorts", "assessments"):
        for path in sorted((ROOT / package).rglob("*.py")):
            names = imported_modules(path)
            if any(_under(name, "reportlab") for name in names) or names & {
                f"pdf_templates.styles.{builder}" for builder in PAGE_BUILDERS
            }:
                drawing.append(str(path.relative_to(ROOT)))
    assert not drawing, f"lay out pages in pdf_templates, not in {drawing}"
