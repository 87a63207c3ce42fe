"""The browser walks assert with Playwright's ``expect``, which waits, never with a state read once.

A click that sends a form returns as soon as the next page starts to arrive. ``is_visible()``
and its kin answer at once, so an assertion right after such a click can read a page that is
not all there yet and fail on a sound product (it did, in CI: a success notice after saving
attendance). ``expect(...).to_be_visible()`` and its kin retry until the page settles.
Checked by reading the test files (ast).
"""

import ast
from pathlib import Path

BROWSER_TESTS = Path(__file__).resolve().parents[1] / "browser"
# Locator methods that read the state once; each has an ``expect`` assertion that waits.
READ_ONCE = {"is_visible", "is_hidden", "is_checked", "is_enabled", "is_disabled", "is_editable"}


def reads_once(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Assert):
            continue
        for inner in ast.walk(node.test):
            if isinstance(inner, ast.Call) and isinstance(inner.func, ast.Attribute) and inner.func.attr in READ_ONCE:
                found.append(f"{path.name}:{node.lineno} {inner.func.attr}()")
    return found


def test_browser_walks_assert_a_pages_state_with_expect():
    offences = [line for path in sorted(BROWSER_TESTS.glob("*.py")) for line in reads_once(path)]
    assert not offences, "assert with expect(locator).to_be_…(), which waits:\n" + "\n".join(offences)


def test_the_check_sees_an_assertion_that_reads_once(tmp_path):
    sample = tmp_path / "test_sample.py"
    sample.write_text('def test_it(page):\n    assert page.locator(".notice").is_visible()\n', encoding="utf-8")
    assert reads_once(sample) == ["test_sample.py:2 is_visible()"]
