"""Calendar feeds as calendar programs read them: parsed by icalendar, vobject, ics and recurring-ical-events.

RFC 5545: a client keeps an event by its UID and takes a changed copy only when its
SEQUENCE grows; a cancelled event must come as STATUS:CANCELLED, not vanish.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import ics
import recurring_ical_events
import vobject
from icalendar import Calendar

from tests.factories import as_role, make_location, set_cookie
from tests.test_cohorts import cohort_body

HELSINKI = ZoneInfo("Europe/Helsinki")


async def feed(client, path: str) -> tuple[Calendar, bytes]:
    response = await client.get(path)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content), response.content


def events_by_uid(calendar: Calendar) -> dict[str, dict]:
    return {
        str(e["uid"]): {
            "start": e.decoded("dtstart"),
            "status": str(e["status"]),
            "sequence": int(e["sequence"]),
            "summary": str(e["summary"]),
        }
        for e in calendar.walk("VEVENT")
    }


def every_library_reads(content: bytes) -> None:
    """vobject, ics and recurring-ical-events read the feed as icalendar does, with the same events."""
    text = content.decode("utf-8")
    expected = {str(e["uid"]): e.decoded("dtstart") for e in Calendar.from_ical(content).walk("VEVENT")}
    parsed = vobject.readOne(text)
    assert {e.uid.value: e.dtstart.value for e in parsed.vevent_list} == expected
    assert {e.uid: e.begin.datetime for e in ics.Calendar(text).events} == expected
    occurrences = recurring_ical_events.of(Calendar.from_ical(content)).between(
        dt.date(2026, 1, 1), dt.date(2028, 1, 1)
    )
    assert {str(e["uid"]): e.decoded("dtstart") for e in occurrences} == expected


async def test_a_moved_and_a_cancelled_session_raise_their_sequence(client):
    await as_role(client, "coordinator")
    location = await make_location()
    cohort = (
        await client.post("/api/v1/cohorts", json=cohort_body(location, start_date="2026-10-19", start_time="10:00"))
    ).json()
    path = f"/api/v1/cohorts/{cohort['id']}/calendar.ics"
    before = events_by_uid((await feed(client, path))[0])
    assert {e["sequence"] for e in before.values()} == {0}
    sessions = (await client.get(f"/api/v1/cohorts/{cohort['id']}/sessions")).json()
    moved, cancelled, untouched = sessions[1], sessions[2], sessions[3]
    assert (await client.patch(f"/api/v1/sessions/{moved['id']}", json={"date": "2026-10-29"})).status_code == 200
    assert (await client.patch(f"/api/v1/sessions/{cancelled['id']}", json={"cancelled": True})).status_code == 200
    # A note is not in the calendar: no new sequence for it.
    assert (await client.patch(f"/api/v1/sessions/{untouched['id']}", json={"note": "Tuo laturi"})).status_code == 200
    calendar, content = await feed(client, path)
    after = events_by_uid(calendar)
    assert after.keys() == before.keys(), "UIDs stay"
    uid = lambda session: f"session-{session['id']}@digiystava"  # noqa: E731
    assert after[uid(moved)]["sequence"] == 1 and after[uid(moved)]["start"] == dt.datetime(
        2026, 10, 29, 10, 0, tzinfo=HELSINKI
    )
    assert after[uid(moved)]["start"].utcoffset() == dt.timedelta(hours=2), "10:00 stays 10:00 after the October change"
    assert (after[uid(cancelled)]["status"], after[uid(cancelled)]["sequence"]) == ("CANCELLED", 1)
    assert (after[uid(untouched)]["status"], after[uid(untouched)]["sequence"]) == ("CONFIRMED", 0)
    assert b"SEQUENCE:1\r\n" in content and b"STATUS:CANCELLED\r\n" in content
    every_library_reads(content)
    # Moved again: the sequence keeps growing.
    await client.patch(f"/api/v1/sessions/{moved['id']}", json={"start_time": "11:00"})
    assert events_by_uid((await feed(client, path))[0])[uid(moved)]["sequence"] == 2


async def test_a_cohort_moved_to_another_start_keeps_its_events_with_a_new_sequence(client):
    await as_role(client, "coordinator")
    location = await make_location()
    cohort = (await client.post("/api/v1/cohorts", json=cohort_body(location, start_date="2026-10-19"))).json()
    path = f"/api/v1/cohorts/{cohort['id']}/calendar.ics"
    before = events_by_uid((await feed(client, path))[0])
    assert (await client.patch(f"/api/v1/cohorts/{cohort['id']}", json={"start_date": "2026-10-26"})).status_code == 200
    after = events_by_uid((await feed(client, path))[0])
    assert after.keys() == before.keys()
    assert all(
        after[u]["sequence"] == 1 and after[u]["start"] == before[u]["start"] + dt.timedelta(weeks=1) for u in after
    )


async def test_a_cancelled_cohort_stays_in_the_location_feed_as_cancelled(client):
    await as_role(client, "coordinator")
    location = await make_location()
    running = (
        await client.post("/api/v1/cohorts", json=cohort_body(location, name="Syksy A", start_date="2026-10-19"))
    ).json()
    dropped = (
        await client.post("/api/v1/cohorts", json=cohort_body(location, name="Syksy B", start_date="2026-10-20"))
    ).json()
    path = f"/api/v1/locations/{location}/calendar.ics"
    before = events_by_uid((await feed(client, path))[0])
    assert len(before) == 20 and {e["status"] for e in before.values()} == {"CONFIRMED"}
    assert (await client.patch(f"/api/v1/cohorts/{dropped['id']}", json={"status": "cancelled"})).status_code == 200
    calendar, content = await feed(client, path)
    after = events_by_uid(calendar)
    assert after.keys() == before.keys(), "the cancelled cohort's events are still sent"
    cancelled = {u: e for u, e in after.items() if e["summary"].startswith("Syksy B")}
    assert len(cancelled) == 10 and all(e["status"] == "CANCELLED" and e["sequence"] == 1 for e in cancelled.values())
    assert all(e["status"] == "CONFIRMED" and e["sequence"] == 0 for u, e in after.items() if u not in cancelled)
    every_library_reads(content)
    cohort_feed = events_by_uid((await feed(client, f"/api/v1/cohorts/{dropped['id']}/calendar.ics"))[0])
    assert cohort_feed == cancelled
    assert running["id"] != dropped["id"]


async def test_event_titles_speak_the_feed_s_language(client):
    await as_role(client, "coordinator")
    location = await make_location()
    cohort = (
        await client.post("/api/v1/cohorts", json=cohort_body(location, name="Kevät", start_date="2027-01-18"))
    ).json()
    set_cookie(client, "digiystava_lang", "en")
    titles = {}
    for lang in ("fi", "sv", "en"):
        calendar, content = await feed(client, f"/api/v1/cohorts/{cohort['id']}/calendar.ics?lang={lang}")
        titles[lang] = sorted({str(e["summary"]) for e in calendar.walk("VEVENT")})
        every_library_reads(content)
    assert titles["fi"] == ["Kevät: Harjoittelu oman digiystävän kanssa", "Kevät: Ryhmätapaaminen"]
    assert titles["sv"] == ["Kevät: Gruppträff", "Kevät: Övning med din egen digivän"]
    assert titles["en"] == ["Kevät: Group lesson", "Kevät: Practice with your digital friend"]


async def test_the_secret_link_feeds_have_one_charset(client):
    await as_role(client, "coordinator")
    location = await make_location()
    cohort = (await client.post("/api/v1/cohorts", json=cohort_body(location))).json()
    cohort_url = (await client.get(f"/api/v1/cohorts/{cohort['id']}/calendar-link")).json()["url"]
    location_url = (await client.get(f"/api/v1/locations/{location}/calendar-link")).json()["url"]
    client.cookies.clear()
    for url in (cohort_url, location_url):
        _calendar, content = await feed(client, url.split("testserver.local")[1])
        every_library_reads(content)
