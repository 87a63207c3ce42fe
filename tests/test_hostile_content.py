"""Hostile content wherever a user string goes: it gets a clear answer or prints exactly as typed."""

import pytest
from icalendar import Calendar

from tests.excel import finnish_excel_rows
from tests.factories import as_role, enrol, make_location, make_participant
from tests.pdf_text import pdf_text

# NOTE: markup, an entity, a dollar, right-to-left override and zero-width joiner in one name.
HOSTILE = '<script>alert("x")</script> & $HOME \u202eksirhat\u202c Ä\u200dÖ'


@pytest.fixture
async def cohort(client):
    await as_role(client, "coordinator")
    location = (await client.post("/api/v1/locations", json={"name": HOSTILE, "kind": "library"})).json()["id"]
    body = {"location_id": location, "name": HOSTILE, "start_date": "2026-09-07", "start_time": "13:00"}
    created = await client.post("/api/v1/cohorts", json=body)
    assert created.status_code == 201, created.text
    return created.json()


async def test_html_escapes_every_user_string(client, cohort):
    page = await client.get(f"/cohorts/{cohort['id']}")
    assert "<script>alert" not in page.text
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; $HOME" in page.text


async def test_pdf_prints_the_name_as_typed(client, cohort):
    text = pdf_text((await client.get(f"/api/v1/cohorts/{cohort['id']}/schedule.pdf")).content)
    assert '<script>alert("x")</script> & $HOME' in text


async def test_calendar_keeps_the_name_as_one_property(client, cohort):
    feed = Calendar.from_ical((await client.get(f"/api/v1/cohorts/{cohort['id']}/calendar.ics")).content)
    events = feed.walk("VEVENT")
    assert len(events) == 10
    assert str(events[0]["summary"]).startswith('<script>alert("x")</script> & $HOME')


@pytest.mark.parametrize(
    "name",
    [
        "Syksy\r\nBEGIN:VEVENT",  # a line break trying to inject a calendar event
        "Nul\x00byte",  # a NUL byte
        "x" * 201,  # longer than any name may be
    ],
)
async def test_names_that_could_break_a_format_are_refused(client, cohort, name):
    response = await client.patch(f"/api/v1/cohorts/{cohort['id']}", json={"name": name})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "name"


async def test_csv_export_neutralises_formulas(client):
    await as_role(client, "coordinator")
    for serial, model in (
        ("SN-FORMULA-1", '=HYPERLINK("http://evil.example","click")'),
        ("SN-FORMULA-2", "+SUM(A1:A9)"),
        ("SN-FORMULA-3", "@cmd"),
    ):
        assert (
            await client.post(
                "/api/v1/tablets", json={"serial_number": serial, "model": model, "os": "android", "donor": "DNA"}
            )
        ).status_code == 201
    rows = finnish_excel_rows((await client.get("/api/v1/tablets/export.csv")).content)
    models = [cell for row in rows for cell in row if "HYPERLINK" in cell or "SUM(" in cell or "cmd" in cell]
    assert models and all(cell.startswith("'") for cell in models)


async def test_oversized_upload_is_413(client):
    await as_role(client, "coordinator")
    big = b"serial_number,model,os,donor\n" + b"X" * (11 * 1024 * 1024)
    response = await client.post("/api/v1/tablets/import", content=big, headers={"content-type": "text/csv"})
    assert response.status_code == 413


async def test_hostile_senior_name_in_sign_in_sheet_and_export(client):
    await as_role(client, "coordinator")
    location = await make_location()
    from tests.factories import make_cohort

    cohort = await make_cohort(location)
    person = await make_participant(location, first_name="فاطمة", last_name="<b>Ø\"'&amp;</b>", phone="")
    await enrol(cohort, person)
    sessions = (await client.get(f"/api/v1/cohorts/{cohort}/sessions")).json()
    text = pdf_text((await client.get(f"/api/v1/sessions/{sessions[0]['id']}/sign-in.pdf")).content)
    assert "<b>Ø\"'&amp;</b>" in text
    exported = (await client.get(f"/api/v1/participants/{person}/export")).json()
    assert exported["participant"]["last_name"] == "<b>Ø\"'&amp;</b>"
