"""A report follows the calendar and says why figures are missing; its method note gives the real number of tests."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest

from digiystava import clock
from tests.factories import as_role, enrol, make_cohort, make_location, make_participant
from tests.factories.assessments import answers
from tests.factories.reports import seeded_cohort
from tests.pdf_text import pdf_text

URL = "/api/v1/reports/outcomes"


def flat(text: str) -> str:
    """Text with line breaks and runs of spaces as single spaces, quotes and dashes plain, for comparing across
    formats.
    """
    text = html.unescape(text).replace("\u00a0", " ").replace("”", '"').replace("“", '"')
    return re.sub(r"\s+", " ", text)


def flat_pdf(content: bytes) -> str:
    return flat(pdf_text(content))


async def cohort_of(size: int, start: dt.date, status: str, phases=("before", "after")) -> int:
    """A cohort of ``size`` seniors who all answered the given phases (every skill: 1, then 3)."""
    from assessments.tables import Assessment

    location = await make_location()
    cohort = await make_cohort(location, start_date=start, status=status)
    for i in range(size):
        pid = await make_participant(location, first_name="Senior", last_name=f"S{i}")
        await enrol(cohort, pid, "completed" if status == "completed" else "enrolled")
        levels = {"before": 1, "after": 3}
        await Assessment.insert(
            *[
                Assessment(
                    participant=pid,
                    cohort=cohort,
                    phase=phase,
                    instrument_version=1,
                    answers={c: levels[phase] for c in answers()},
                    wishes=[],
                )
                for phase in phases
            ]
        )
    return cohort


def weeks_from_today(weeks: int) -> dt.date:
    return clock.today() + dt.timedelta(weeks=weeks)


@pytest.mark.clock
async def test_a_cohort_of_eight_left_planned_after_its_start_is_counted(client, db):
    """The issue's case: nobody moved it to running, all answers are in, and the report said "fewer than 5 seniors"."""
    cohort = await cohort_of(8, weeks_from_today(-11), "planned")
    await as_role(client, "steering")
    body = (await client.get(URL, params={"cohort_id": cohort, "lang": "en"})).json()
    assert not body["suppressed"] and body["course"]["seniors"] == 8
    assert {s["n"] for s in body["skills"]} == {8}
    assert not any("Fewer than" in line for line in body["summary"])


# case -> (size, start in weeks from today, stored status, phases answered), the reason, and whether figures are hidden
CASES = {
    "not started": ((8, 3, "planned", ("before",)), "not_started", True),
    "under five": ((4, -12, "completed", ("before", "after")), "under_minimum", True),
    "no after answers": ((8, -4, "running", ("before",)), "no_after_answers", False),
}


@pytest.mark.clock
@pytest.mark.parametrize("case", CASES)
async def test_the_report_says_why_figures_are_missing(client, db, case):
    (size, weeks, status, phases), reason, hidden = CASES[case]
    cohort = await cohort_of(size, weeks_from_today(weeks), status, phases)
    await as_role(client, "steering")
    body = (await client.get(URL, params={"cohort_id": cohort, "lang": "en"})).json()
    assert body["suppressed"] is hidden
    assert [g["code"] for g in body["missing"]] == [reason]
    assert body["missing"][0]["text"] in body["summary"]
    if reason == "no_after_answers":
        assert all(s["suppressed"] and s["reason"] == "no_after_answers" for s in body["skills"])
        assert body["course"]["seniors"] == 8
    if reason == "not_started":
        # NOTE: a course that has not started is no privacy matter: the report does not say "fewer than 5".
        assert body["summary"] == ["Courses that have not started yet: 1. Their figures come after the first session."]


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
@pytest.mark.parametrize("case", CASES)
async def test_every_format_and_language_says_why(client, db, case, lang):
    (size, weeks, status, phases), reason, _ = CASES[case]
    cohort = await cohort_of(size, weeks_from_today(weeks), status, phases)
    await as_role(client, "steering")
    params = {"cohort_id": cohort, "lang": lang}
    [gap] = (await client.get(URL, params=params)).json()["missing"]
    page = flat((await client.get(URL, params={**params, "format": "html"})).text)
    pdf = flat_pdf((await client.get(URL, params={**params, "format": "pdf"})).content)
    for text in (page, pdf):
        assert flat(gap["text"]) in text, (case, lang)


@pytest.mark.parametrize(
    "lang, says",
    [
        ("en", "2 of the 13 skills had enough changed pairs to be tested"),
        ("fi", "Taidoista 2/13 oli tarpeeksi muuttuneita pareja testiin"),
        ("sv", "2 av 13 färdigheter hade tillräckligt många förändrade par för att testas"),
    ],
)
async def test_the_method_note_says_how_many_skills_were_tested(client, db, lang, says):
    """Holm adjusts over the skills that were tested (here 2), so the note must not say all 13 were."""
    seeded = await seeded_cohort()
    await as_role(client, "steering")
    params = {"cohort_id": seeded["cohort_id"], "lang": lang}
    body = (await client.get(URL, params=params)).json()
    assert body["tested_skills"] == 2
    note = " ".join(body["method_note"])
    assert says in note and "13 skills are tested" not in note and "13 taitoa testataan" not in note
    assert flat(says) in flat_pdf((await client.get(URL, params={**params, "format": "pdf"})).content)
