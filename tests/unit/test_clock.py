"""One clock: Helsinki's calendar everywhere, never the machine's date.

The tests marked ``clock`` (see ``tests/conftest.py``) run again with the
process's time set just before and just after Helsinki's midnight, in winter
and summer; these tests keep that set honest and the machine's date out.
"""

from __future__ import annotations

import ast
import datetime as dt
import re
from pathlib import Path

import pytest
from freezegun import freeze_time

from digiystava import clock

ROOT = Path(__file__).resolve().parents[2]
# NOTE: benchmarks/ is left out: its bare baseline app must not import the project.
SOURCES = ("digiystava", "cohorts", "assessments", "pdf_templates", "tests")
# The machine's date or local time, or the database server's.
MACHINE_CLOCK = re.compile(
    r"\b(?:date|datetime)\.today\(|\bdatetime\.now\(|\butcnow\(|\btime\.localtime\(|CURRENT_DATE|date\('now'\)"
)


def test_nothing_but_the_clock_module_reads_the_machines_date():
    offenders = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for folder in SOURCES
        for path in sorted((ROOT / folder).rglob("*.py"))
        if path not in (ROOT / "digiystava" / "clock.py", Path(__file__).resolve())
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if MACHINE_CLOCK.search(line)
    ]
    assert offenders == [], "use digiystava.clock.today() / clock.now():\n" + "\n".join(offenders)


@pytest.mark.parametrize(
    ("utc", "helsinki_date"),
    [
        ("2026-12-06T21:59:59", dt.date(2026, 12, 6)),  # winter: 23:59:59 in Helsinki
        ("2026-12-06T22:00:00", dt.date(2026, 12, 7)),  # winter: midnight, still 6 December in UTC
        ("2027-06-14T20:59:59", dt.date(2027, 6, 14)),  # summer time: 23:59:59
        ("2027-06-14T21:00:00", dt.date(2027, 6, 15)),  # summer time: midnight at 21:00 UTC
        ("2027-03-28T00:59:59", dt.date(2027, 3, 28)),  # the night clocks go forward
    ],
)
def test_today_is_helsinkis_date(utc, helsinki_date):
    with freeze_time(utc):
        assert clock.today() == helsinki_date
        assert clock.now().tzinfo is not None and clock.local_date(clock.now()) == helsinki_date


def _clock_marked_tests() -> set[str]:
    found = set()
    for path in (ROOT / "tests").rglob("test_*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and any(
                ast.unparse(d) == "pytest.mark.clock" for d in node.decorator_list
            ):
                found.add(f"{path.relative_to(ROOT)}::{node.name}")
    return found


def test_date_sensitive_tests_are_marked():
    """The midnight runs only prove something while the date-dependent tests carry the mark."""
    assert {
        "tests/test_loans.py::test_reminders_list_and_letter",
        "tests/test_loans.py::test_explicit_due_date_and_filters",
        "tests/test_loans.py::test_lifecycle_lend_and_return_wiped",
        "tests/test_tablets_demo.py::test_demo_has_both_donors_in_every_state",
    } <= _clock_marked_tests()
