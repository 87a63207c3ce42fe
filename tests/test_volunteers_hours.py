"""Volunteer hours: by hand, filled in from attended practice sessions, totals as JSON, CSV and PDF."""

import datetime as dt

from tests.excel import finnish_excel_rows
from tests.factories import as_role, enrol, make_cohort, make_location, make_participant, set_cookie
from tests.factories.volunteers import make_pairing, make_volunteer
from tests.pdf_text import pdf_text


async def mark(cohort_id: int, week: int, participant_id: int, status: str = "present") -> None:
    from cohorts.tables import Attendance, CourseSession

    session = (
        await CourseSession.select(CourseSession.id)
        .where(CourseSession.cohort == cohort_id, CourseSession.week == week)
        .first()
    )
    await Attendance.insert(Attendance(session=session["id"], participant=participant_id, status=status))


async def test_hours_by_hand_with_duplicates_refused_and_a_correction(client):
    location = await make_location()
    cohort = await make_cohort(location)
    mikko = await make_volunteer("Mikko Laine")
    await as_role(client, "coordinator")
    url = f"/api/v1/volunteers/{mikko}/hours"
    first = await client.post(url, json={"date": "2026-09-14", "hours": 1.5, "cohort_id": cohort})
    assert first.status_code == 201, first.text
    assert first.json()["source"] == "form" and first.json()["hours"] == 1.5
    assert (await client.post(url, json={"date": "2026-09-14", "hours": 2, "cohort_id": cohort})).status_code == 409
    for bad in (
        {"date": "2026-09-21", "hours": 0, "cohort_id": cohort},
        {"date": "2026-09-21", "hours": 1.1, "cohort_id": cohort},
        {"date": "2026-09-21", "hours": 13, "cohort_id": cohort},
    ):
        response = await client.post(url, json=bad)
        assert response.status_code == 422 and "hours" in response.text
    assert (await client.post(url, json={"date": "2026-09-21", "hours": 1, "cohort_id": 999999})).status_code == 422
    await client.post(url, json={"date": "2026-09-28", "hours": 2, "cohort_id": cohort})
    listing = (await client.get(url)).json()
    assert listing["total"] == 2 and listing["hours_total"] == 3.5
    assert (await client.delete(f"{url}/{first.json()['id']}")).status_code == 204
    assert (await client.get(url)).json()["hours_total"] == 2
    assert (await client.get(url, params={"date_from": "2026-10-01"})).json()["total"] == 0
    assert (await client.get("/api/v1/volunteers/999999/hours")).status_code == 404


async def test_fill_from_sessions_counts_attended_practice_sessions_once(client):
    location = await make_location()
    cohort = await make_cohort(location)  # NOTE: practice in even weeks, 90 minutes each
    aino, bertil = await make_participant(location), await make_participant(location, "Bertil", "Ek", "sv")
    await enrol(cohort, aino)
    await enrol(cohort, bertil)
    mikko = await make_volunteer("Mikko Laine")
    await make_pairing(cohort, mikko, aino)
    await make_pairing(cohort, mikko, bertil)
    await mark(cohort, 2, aino)
    await mark(cohort, 2, bertil)  # two seniors, one session: counted once
    await mark(cohort, 4, aino, "absent")
    await mark(cohort, 4, bertil, "excused")  # nobody there: not counted
    await mark(cohort, 6, bertil)
    await mark(cohort, 7, aino)  # a group week, not practice: not counted
    await as_role(client, "coordinator")
    url = f"/api/v1/volunteers/{mikko}/hours"
    await client.post(
        url, json={"date": "2026-10-12", "hours": 1, "cohort_id": cohort}
    )  # week 6 already recorded by hand
    filled = await client.post(f"{url}/fill", json={"until": "2026-12-31"})
    assert filled.status_code == 201, filled.text
    assert [(h["date"], h["hours"], h["source"]) for h in filled.json()["created"]] == [("2026-09-14", 1.5, "sessions")]
    again = await client.post(f"{url}/fill", json={"until": "2026-12-31"})
    assert again.json()["count"] == 0
    assert (await client.get(url)).json()["hours_total"] == 2.5


async def test_totals_per_volunteer_and_organisation_as_json_csv_and_pdf(client):
    location = await make_location()
    cohort = await make_cohort(location)
    mikko = await make_volunteer("Mikko Laine")
    stina = await make_volunteer("Stina Berg")
    # NOTE: a name starting with "=" must not become a spreadsheet formula.
    other = await make_volunteer("=Kaava Nimi", organisation="SPR")
    await as_role(client, "coordinator")
    for volunteer, date, hours in (
        (mikko, "2026-09-14", 1.5),
        (mikko, "2026-09-28", 2),
        (stina, "2026-09-14", 1.5),
        (other, "2026-09-14", 1),
        (mikko, "2027-01-11", 3),
    ):
        response = await client.post(
            f"/api/v1/volunteers/{volunteer}/hours", json={"date": date, "hours": hours, "cohort_id": cohort}
        )
        assert response.status_code == 201
    period = {"date_from": "2026-09-01", "date_to": "2026-12-31"}
    totals = (await client.get("/api/v1/volunteers/hours/totals", params=period)).json()
    assert totals["total_hours"] == 6
    assert {o["organisation"]: (o["hours"], o["volunteers"]) for o in totals["organisations"]} == {
        "HelsinkiMissio": (5, 2),
        "SPR": (1, 1),
    }
    assert {v["name"]: (v["hours"], v["days"]) for v in totals["volunteers"]} == {
        "Mikko Laine": (3.5, 2),
        "Stina Berg": (1.5, 1),
        "=Kaava Nimi": (1, 1),
    }
    only = (await client.get("/api/v1/volunteers/hours/totals", params={**period, "organisation": "SPR"})).json()
    assert only["total_hours"] == 1
    bad = await client.get(
        "/api/v1/volunteers/hours/totals", params={"date_from": "2026-12-01", "date_to": "2026-09-01"}
    )
    assert bad.status_code == 422

    set_cookie(client, "digiystava_lang", "en")
    csv_response = await client.get("/api/v1/volunteers/hours/totals", params={**period, "format": "csv"})
    assert csv_response.status_code == 200 and csv_response.headers["content-type"].startswith("text/csv")
    # NOTE: Finnish Excel reads "3,5" as a number and "3.5" as a date; scripts ask for commas and decimal points.
    rows = finnish_excel_rows(csv_response.content)
    assert rows[0] == ["Row", "Organisation", "Volunteer", "Hours", "Days"]
    assert ["volunteer", "HelsinkiMissio", "Mikko Laine", "3,5", "2"] in rows
    assert ["volunteer", "SPR", "'=Kaava Nimi", "1", "1"] in rows
    assert ["organisation", "HelsinkiMissio", "", "5", ""] in rows and rows[-1] == ["total", "", "", "6", ""]

    set_cookie(client, "digiystava_lang", "fi")
    pdf = await client.get("/api/v1/volunteers/hours/totals", params={**period, "format": "pdf"})
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    text = pdf_text(pdf.content)
    assert "Vapaaehtoisten tunnit" in text and "Mikko Laine" in text and "HelsinkiMissio" in text and "3,5" in text
    assert "=Kaava Nimi" in text


async def test_hours_are_the_coordinators(client):
    location = await make_location()
    mikko = await make_volunteer()
    for role in ("trainer", "steering", "volunteer"):
        client.cookies.clear()
        await as_role(client, role, [location])
        assert (await client.get(f"/api/v1/volunteers/{mikko}/hours")).status_code == 403
        assert (await client.get("/api/v1/volunteers/hours/totals")).status_code == 403


async def test_dates_in_totals_are_inclusive(client):
    location = await make_location()
    cohort = await make_cohort(location)
    mikko = await make_volunteer()
    await as_role(client, "coordinator")
    day = dt.date(2026, 9, 14)
    await client.post(
        f"/api/v1/volunteers/{mikko}/hours", json={"date": day.isoformat(), "hours": 1, "cohort_id": cohort}
    )
    same_day = {"date_from": day.isoformat(), "date_to": day.isoformat()}
    assert (await client.get("/api/v1/volunteers/hours/totals", params=same_day)).json()["total_hours"] == 1
