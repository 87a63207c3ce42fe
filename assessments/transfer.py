"""A cohort's answers as CSV with pseudonymous ids, and the import of typed-in paper forms."""

from __future__ import annotations

import csv
import io
from typing import Any

from digiystava import audit
from digiystava.access import Principal, require
from digiystava.db import write_transaction
from digiystava.errors import Conflict, FieldProblem, InvalidRows
from digiystava.i18n import N_
from digiystava.spreadsheets import csv_text, restore_cell

from assessments.instrument import UnknownInstrumentVersion, available_versions, current_instrument, load_instrument
from assessments.services import ASSESSABLE_STATUSES, cohort_in_scope, is_unique_violation, phase_not_open
from assessments.tables import METHODS, PHASES, Assessment
from cohorts.tables import Enrolment

FIXED_COLUMNS = ("pseudonym", "phase", "instrument_version", "method")
WISHES_COLUMN = "wishes"
MAX_ROWS = 5000
def skill_columns() -> list[str]:
    """Skill codes of every instrument version, the current version's first."""
    columns = list(current_instrument().skill_codes)
    for version in available_versions():
        columns += [code for code in load_instrument(version).skill_codes if code not in columns]
    return columns


def header() -> list[str]:
    return [*FIXED_COLUMNS, *skill_columns(), WISHES_COLUMN]


async def export_csv(principal: Principal, cohort_id: int) -> str:
    """One row per senior and phase; seniors appear only by pseudonym, free text is left out."""
    require(principal, "assessments.read")
    await cohort_in_scope(principal, cohort_id)
    rows = await Assessment.select(
        Assessment.participant.pseudonym.as_alias("pseudonym"), Assessment.phase, Assessment.instrument_version,
        Assessment.method, Assessment.answers, Assessment.wishes,
    ).where(Assessment.cohort == cohort_id).output(load_json=True)
    rows.sort(key=lambda r: (r["pseudonym"], PHASES.index(r["phase"])))
    columns = header()
    lines: list[list[Any]] = [columns]
    for row in rows:
        answers = row["answers"] or {}
        values: dict[str, Any] = {**row, **{code: answers.get(code) for code in skill_columns()}, WISHES_COLUMN: ";".join(row["wishes"] or [])}
        lines.append([values.get(c) for c in columns])
    return csv_text(lines)


def _read(content: bytes) -> list[list[str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidRows(N_("The file is not UTF-8 text."), errors=[FieldProblem("row 1", "save the file as UTF-8 CSV")]) from None
    first = text.split("\n", 1)[0]
    # NOTE: spreadsheets set to Finnish or Swedish save CSV with semicolons.
    delimiter = ";" if first.count(";") > first.count(",") else ","
    return [row for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def _level(text: str, values: tuple[int, ...]) -> int | None:
    text = text.strip()
    if not text:
        return None
    if not text.isdigit() or int(text) not in values:
        raise ValueError
    return int(text)


async def import_csv(principal: Principal, cohort_id: int, content: bytes) -> int:
    """Create the file's assessments in the cohort, all or none; returns how many were created."""
    require(principal, "assessments.write")
    cohort = await cohort_in_scope(principal, cohort_id)
    rows = _read(content)
    if not rows:
        raise InvalidRows(N_("The file is empty."), errors=[FieldProblem("row 1", "no header row")])
    names = [name.strip().lower() for name in rows[0]]
    known = set(header())
    problems = [FieldProblem(f"row 1.{name or '?'}", "unknown column") for name in names if name not in known]
    problems += [FieldProblem(f"row 1.{name}", "column missing") for name in ("pseudonym", "phase") if name not in names]
    if problems:
        raise InvalidRows(N_("The header row does not match."), errors=problems)
    if len(rows) - 1 > MAX_ROWS:
        raise InvalidRows(f"At most {MAX_ROWS} rows per file.", errors=[FieldProblem(f"row {MAX_ROWS + 2}", "too many rows")])

    enrolled = await Enrolment.select(Enrolment.participant.as_alias("id"), Enrolment.participant.pseudonym.as_alias("pseudonym")).where(
        Enrolment.cohort == cohort_id, Enrolment.status.is_in(list(ASSESSABLE_STATUSES))
    )
    by_pseudonym = {r["pseudonym"].upper(): r["id"] for r in enrolled}
    existing = {
        (r["participant"], r["phase"])
        for r in await Assessment.select(Assessment.participant, Assessment.phase).where(Assessment.cohort == cohort_id)
    }
    seen: dict[tuple[int, str], int] = {}
    new: list[Assessment] = []
    for number, raw in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in raw):
            continue  # blank lines that spreadsheets leave at the end
        if len(raw) > len(names):
            problems.append(FieldProblem(f"row {number}", f"has {len(raw)} cells; the header has {len(names)}"))
            continue
        cells = {name: restore_cell(raw[i].strip()) if i < len(raw) else "" for i, name in enumerate(names)}
        row_problems: list[FieldProblem] = []

        def problem(field: str, message: str) -> None:
            row_problems.append(FieldProblem(f"row {number}.{field}", message))

        participant_id = by_pseudonym.get(cells["pseudonym"].upper())
        if participant_id is None:
            problem("pseudonym", "no senior with this id is enrolled in this cohort")
        phase = cells["phase"].lower()
        if phase not in PHASES:
            problem("phase", "use before or after")
        elif (not_open := phase_not_open(cohort, phase)) is not None:
            problem("phase", not_open)
        version_text = cells.get("instrument_version", "")
        instrument = current_instrument()
        if version_text:
            try:
                instrument = load_instrument(int(version_text))
            except (ValueError, UnknownInstrumentVersion):
                problem("instrument_version", "unknown instrument version")
        method = cells.get("method", "").lower() or "paper"
        if method not in METHODS:
            problem("method", "use alone, with_help or paper")
        answers: dict[str, int | None] = {}
        for code in skill_columns():
            text = cells.get(code, "")
            if code not in instrument.skill_codes:
                if text:
                    problem(code, f"not a skill of instrument version {instrument.version}")
                continue
            try:
                answers[code] = _level(text, instrument.level_values)
            except ValueError:
                problem(code, f"level must be {instrument.min_level}-{instrument.max_level} or empty")
        wishes = [w.strip().lower() for w in cells.get(WISHES_COLUMN, "").replace(",", ";").split(";") if w.strip()]
        unknown = [w for w in wishes if w not in instrument.wish_codes]
        if unknown:
            problem(WISHES_COLUMN, f"unknown wish {unknown[0]!r}")
        if participant_id is not None and phase in PHASES:
            key = (participant_id, phase)
            if key in seen:
                problem("phase", f"the same senior and phase as row {seen[key]}")
            elif key in existing:
                problem("phase", "already recorded for this senior; correct it in the grid")
            seen.setdefault(key, number)
        if row_problems:
            problems += row_problems
            continue
        new.append(Assessment(
            participant=participant_id, cohort=cohort_id, phase=phase, instrument_version=instrument.version, answers=answers,
            wishes=[w for w in instrument.wish_codes if w in wishes], wishes_text="", method=method, recorded_by=principal.user_id,
        ))
    if problems:
        raise InvalidRows(f"{len(problems)} problem(s) in the file; nothing was imported.", errors=problems)
    if not new:
        raise InvalidRows(N_("The file has no answer rows."), errors=[FieldProblem("row 2", "no data")])
    try:
        async with write_transaction():
            created = await Assessment.insert(*new).returning(Assessment.id)
            for row in created:
                await audit.record(principal, "import", "assessment", row["id"], ["answers", "wishes", "method"])
    except Exception as exc:
        if is_unique_violation(exc):
            raise Conflict(N_("Some of these assessments were recorded meanwhile; nothing was imported.")) from None
        raise
    return len(created)
