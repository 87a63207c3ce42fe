"""A cohort's answers as a spreadsheet (CSV or .xlsx) with pseudonymous ids, and the import of typed-in paper forms.

The file is read by the shared reader (``digiystava.tabular``); this module keeps the answers' own rules.
Every column is an answer, so a column the import does not know refuses the file (a misspelt
skill must not be dropped silently).
"""

from __future__ import annotations

from typing import Any

from assessments.instrument import UnknownInstrumentVersion, available_versions, current_instrument, load_instrument
from assessments.services import ASSESSABLE_STATUSES, COHORT_COLUMNS, intake_wishes, phase_not_open
from assessments.tables import METHODS, PHASES, Assessment
from cohorts.participants.erased import ERASED
from cohorts.tables import Enrolment
from digiystava import audit
from digiystava.access import Principal, cohort_or_404, require
from digiystava.db import is_unique_violation, write_transaction
from digiystava.errors import Conflict, FieldProblem, InvalidRows
from digiystava.i18n import LANGUAGES, N_
from digiystava.spreadsheets import Separator, SpreadsheetFormat, spreadsheet
from digiystava.tabular import Column, Problems, read_table

FIXED_COLUMNS = ("pseudonym", "phase", "instrument_version", "method")
WISHES_COLUMN = "wishes"
MAX_ROWS = 5000
PHASE_ALIASES = {
    "before": "before",
    "after": "after",
    "ennen": "before",
    "jälkeen": "after",
    "före": "before",
    "efter": "after",
    "followup": "followup",
    "follow-up": "followup",
    "seuranta": "followup",
    "uppföljning": "followup",
}
METHOD_ALIASES = {
    "alone": "alone",
    "with_help": "with_help",
    "paper": "paper",
    "itse": "alone",
    "avustettuna": "with_help",
    "paperi": "paper",
    "själv": "alone",
    "med hjälp": "with_help",
    "papper": "paper",
}
FIXED_ALIASES = {
    "pseudonym": ("Pseudonyymi", "Tunniste", "Pseudonym"),
    "phase": ("Vaihe", "Fas"),
    "instrument_version": ("Lomakkeen versio", "Formulärets version"),
    "method": ("Tapa", "Sätt"),
    WISHES_COLUMN: ("Toiveet", "Önskemål"),
}


def skill_columns() -> list[str]:
    """Skill codes of every instrument version, the current version's first."""
    columns = list(current_instrument().skill_codes)
    for version in available_versions():
        columns += [code for code in load_instrument(version).skill_codes if code not in columns]
    return columns


def header() -> list[str]:
    return [*FIXED_COLUMNS, *skill_columns(), WISHES_COLUMN]


def columns() -> list[Column]:
    """The import's columns; a skill's column may also carry its name in Finnish, Swedish or English."""
    names: dict[str, set[str]] = {}
    for version in available_versions():
        instrument = load_instrument(version)
        for code in instrument.skill_codes:
            names.setdefault(code, set()).update(instrument.skill_label(code, lang) for lang in LANGUAGES)
            names[code].update(instrument.skill(code).short_label(lang) for lang in LANGUAGES)
    return [Column(name, FIXED_ALIASES.get(name, ()) or tuple(sorted(names.get(name, ())))) for name in header()]


async def export_sheet(
    principal: Principal, cohort_id: int, fmt: SpreadsheetFormat = "csv", separator: Separator = "semicolon"
) -> tuple[bytes, str]:
    """One row per senior and phase; seniors appear only by pseudonym, free text is left out."""
    require(principal, "assessments.read")
    await cohort_or_404(principal, cohort_id, *COHORT_COLUMNS)
    rows = (
        await Assessment.select(
            Assessment.participant.pseudonym.as_alias("pseudonym"),
            Assessment.phase,
            Assessment.instrument_version,
            Assessment.method,
            Assessment.answers,
            Assessment.wishes,
        )
        .where(Assessment.cohort == cohort_id)
        .output(load_json=True)
    )
    rows.sort(key=lambda r: (r["pseudonym"], PHASES.index(r["phase"])))
    names = header()
    lines: list[list[Any]] = [names]
    for row in rows:
        answers = row["answers"] or {}
        values: dict[str, Any] = {
            **row,
            **{code: answers.get(code) for code in skill_columns()},
            WISHES_COLUMN: ";".join(row["wishes"] or []),
        }
        lines.append([values.get(c) for c in names])
    return spreadsheet(lines, fmt, separator, sheet="Assessments")


async def import_template(
    principal: Principal, cohort_id: int, fmt: SpreadsheetFormat = "csv", separator: Separator = "semicolon"
) -> tuple[bytes, str]:
    """The import's header row, then one row per senior of the cohort (pseudonym only) to fill in."""
    require(principal, "assessments.write")
    await cohort_or_404(principal, cohort_id, *COHORT_COLUMNS)
    enrolled = await Enrolment.select(Enrolment.participant.pseudonym.as_alias("pseudonym")).where(
        Enrolment.cohort == cohort_id, Enrolment.status.is_in(list(ASSESSABLE_STATUSES))
    )
    names = header()
    lines: list[list[Any]] = [names] + [
        [r["pseudonym"]] + [""] * (len(names) - 1) for r in sorted(enrolled, key=lambda r: r["pseudonym"])
    ]
    return spreadsheet(lines, fmt, separator, sheet="Assessments")


def _level(text: str, values: tuple[int, ...]) -> int | None:
    text = text.strip()
    if not text:
        return None
    if not text.isdecimal() or int(text) not in values:
        raise ValueError
    return int(text)


async def import_file(principal: Principal, cohort_id: int, content: bytes) -> int:
    """Create the file's assessments in the cohort, all or none; returns how many were created.

    Rows with a pseudonym and nothing else (an untouched row of the template) are skipped.
    """
    require(principal, "assessments.write")
    cohort = await cohort_or_404(principal, cohort_id, *COHORT_COLUMNS)
    table = read_table(content, columns(), required=("pseudonym", "phase"), max_rows=MAX_ROWS, unknown="refuse")
    enrolled = await Enrolment.select(
        Enrolment.participant.as_alias("id"),
        Enrolment.participant.pseudonym.as_alias("pseudonym"),
        Enrolment.participant.erased_at.as_alias("erased_at"),
    ).where(Enrolment.cohort == cohort_id, Enrolment.status.is_in(list(ASSESSABLE_STATUSES)))
    by_pseudonym = {r["pseudonym"].upper(): r["id"] for r in enrolled}
    erased = {r["id"] for r in enrolled if r["erased_at"] is not None}
    saved = await Assessment.select(Assessment.participant, Assessment.phase, Assessment.instrument_version).where(
        Assessment.cohort == cohort_id
    )
    existing = {(r["participant"], r["phase"]) for r in saved}
    # The follow-up asks on the form version of the course's answers (the end's, else the start's).
    course_version = {r["participant"]: r["instrument_version"] for r in saved if r["phase"] == "before"}
    course_version |= {r["participant"]: r["instrument_version"] for r in saved if r["phase"] == "after"}
    problems = Problems(table)
    seen: dict[tuple[int, str], int] = {}
    new: list[Assessment] = []
    for number, cells in table.rows:
        if not any(text for name, text in cells.items() if name != "pseudonym"):
            continue  # a template row nobody filled in
        before = len(problems)

        def problem(name: str, message: str) -> None:
            problems.add(number, name, message)  # noqa: B023 - called within this row's iteration

        participant_id = by_pseudonym.get(cells["pseudonym"].upper())
        if participant_id is None:
            problem("pseudonym", N_("no senior with this id is enrolled in this cohort"))
        elif participant_id in erased:
            problem("pseudonym", ERASED)
        phase = PHASE_ALIASES.get(cells["phase"].casefold(), "")
        if phase not in PHASES:
            problem("phase", N_("use before, after or followup"))
        elif (not_open := phase_not_open(cohort, phase)) is not None:
            problem("phase", not_open)
        version_text = cells.get("instrument_version", "")
        instrument = current_instrument()
        if phase == "followup" and participant_id in course_version:
            version = course_version[participant_id]
            if version_text and version_text != str(version):
                problem(
                    "instrument_version",
                    N_("the follow-up uses the form version of the course's answers, {version}", version=version),
                )
            instrument = load_instrument(version)
        elif version_text:
            try:
                instrument = load_instrument(int(version_text))
            except (ValueError, UnknownInstrumentVersion):
                problem("instrument_version", N_("unknown instrument version"))
        method = METHOD_ALIASES.get(cells.get("method", "").casefold() or "paper", "")
        if method not in METHODS:
            problem("method", N_("use alone, with_help or paper"))
        answers: dict[str, int | None] = {}
        for code in skill_columns():
            text = cells.get(code, "")
            if code not in instrument.skill_codes:
                if text:
                    problem(code, N_("not a skill of instrument version {version}", version=instrument.version))
                continue
            try:
                answers[code] = _level(text, instrument.level_values)
            except ValueError:
                problem(
                    code, N_("level must be {low}-{high} or empty", low=instrument.min_level, high=instrument.max_level)
                )
        wishes = [w.strip().lower() for w in cells.get(WISHES_COLUMN, "").replace(",", ";").split(";") if w.strip()]
        unknown = [w for w in wishes if w not in instrument.wish_codes]
        if unknown:
            problem(WISHES_COLUMN, N_("unknown wish {wish}", wish=repr(unknown[0])))
        if participant_id is not None and phase in PHASES:
            key = (participant_id, phase)
            if key in seen:
                problem("phase", N_("the same senior and phase as row {number}", number=seen[key]))
            elif key in existing:
                problem("phase", N_("already recorded for this senior; correct it in the grid"))
            seen.setdefault(key, number)
        if len(problems) > before or participant_id is None:  # an unknown senior is one of the problems
            continue
        wishes, wishes_text = [w for w in instrument.wish_codes if w in wishes], ""
        if phase == "before" and not wishes:
            # NOTE: as from the grid: the first questionnaire takes over the wishes told at registration.
            wishes, wishes_text = await intake_wishes(instrument, participant_id)
        new.append(
            Assessment(
                participant=participant_id,
                cohort=cohort_id,
                phase=phase,
                instrument_version=instrument.version,
                answers=answers,
                wishes=wishes,
                wishes_text=wishes_text,
                method=method,
                recorded_by=principal.user_id,
            )
        )
    problems.raise_if_any()
    if not new:
        raise InvalidRows(N_("The file has no answer rows."), errors=[FieldProblem("row 2", N_("no data"))])
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
