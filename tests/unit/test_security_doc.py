"""docs/security.md names the tests that show each promise: every one it names must exist.

A renamed or deleted test would otherwise leave the document pointing at evidence that is gone.
"""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TESTS = ROOT / "tests"
# `file.py`, `file.py::test_x`, `::test_y` (same file as before), `::..._ending` (a test ending so), `test_*s.py`
REFERENCE = re.compile(r"`((?:[\w/*]+\.py)?(?:::[\w.]+)?)`")


def _test_names(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {
        node.name
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith("test")
    }


def _files(pattern: str) -> list[Path]:
    pattern = pattern.removeprefix("tests/")
    return sorted(TESTS.glob(pattern)) if "*" in pattern else [p for p in [TESTS / pattern] if p.exists()]


def _references() -> list[tuple[int, str, str | None]]:
    """(line, test file pattern, test name or None) for every test the document names."""
    found, current = [], None
    for number, line in enumerate((ROOT / "docs" / "security.md").read_text(encoding="utf-8").splitlines(), 1):
        for token in REFERENCE.findall(line):
            if not token:
                continue
            path, _, name = token.partition("::")
            if path:
                if not Path(path).name.startswith("test"):
                    continue  # code, not evidence: checked by reading
                current = path
            if current is None:
                continue
            found.append((number, current, name or None))
    return found


def test_the_security_document_names_tests():
    assert len(_references()) >= 50


def test_every_test_the_security_document_names_exists():
    missing = []
    for number, pattern, name in _references():
        files = _files(pattern)
        if not files:
            missing.append(f"line {number}: no file {pattern}")
            continue
        if name is None:
            continue
        names = set().union(*(_test_names(f) for f in files))
        wanted = name.removeprefix("...")
        if not (any(n.endswith(wanted) for n in names) if name.startswith("...") else name in names):
            missing.append(f"line {number}: {pattern}::{name}")
    assert not missing, "docs/security.md names tests that do not exist:\n" + "\n".join(missing)
