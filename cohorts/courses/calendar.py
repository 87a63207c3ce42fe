"""RFC 5545 calendars of cohorts and locations, built with the icalendar library.

Feeds carry no personal data: the cohort's name, the kind of session, the
place. Cancelled sessions, and every session of a cancelled cohort, stay in the
feed marked CANCELLED, so a calendar app removes them instead of keeping a stale
copy. Each event's SEQUENCE is its session's revision, raised on every change a
calendar shows (moved, re-timed, cancelled, the cohort renamed or cancelled): a
client that follows RFC 5545 takes the newer copy only when SEQUENCE grows.
"""

from __future__ import annotations

import datetime as dt

from cohorts.tables import Cohort, CourseSession, Location
from digiystava import clock
from digiystava.db import must_exist
from digiystava.i18n import N_, translate

KIND_TITLES = {"group": N_("Group lesson"), "practice": N_("Practice with your digital friend")}


async def _rows(where) -> list[dict]:
    return (
        await CourseSession.select(
            *CourseSession.all_columns(),
            CourseSession.cohort.name.as_alias("cohort_name"),
            CourseSession.cohort.session_minutes.as_alias("minutes"),
            CourseSession.cohort.status.as_alias("cohort_status"),
            CourseSession.cohort._.location._.name.as_alias("location_name"),
            CourseSession.cohort._.location._.address.as_alias("address"),
        )
        .where(where)
        .order_by(CourseSession.date)
    )


def build_calendar(name: str, sessions: list[dict], lang: str = "fi") -> bytes:
    from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard

    calendar = Calendar()
    calendar.add("prodid", "-//Digiystava//Tracker//FI")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Helsinki")
    calendar.add_component(_helsinki_timezone(Timezone, TimezoneStandard, TimezoneDaylight))
    stamp = clock.now().replace(microsecond=0)
    for row in sessions:
        start = dt.datetime.combine(row["date"], row["start_time"], tzinfo=clock.HELSINKI)
        event = Event()
        event.add("uid", f"session-{row['id']}@digiystava")
        event.add("dtstamp", stamp)
        event.add("dtstart", start)
        event.add("dtend", start + dt.timedelta(minutes=row["minutes"]))
        event.add("summary", f"{row['cohort_name']}: {translate(lang, KIND_TITLES[row['kind']])}")
        event.add("location", ", ".join(p for p in (row["location_name"], row["address"]) if p))
        cancelled = row["cancelled"] or row["cohort_status"] == "cancelled"
        event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
        event.add("sequence", row["revision"])
        calendar.add_component(event)
    return calendar.to_ical()


def _helsinki_timezone(Timezone, TimezoneStandard, TimezoneDaylight):
    """VTIMEZONE for Europe/Helsinki (EET/EEST, EU rules), so every app gets the clock change right."""
    tz = Timezone()
    tz.add("tzid", "Europe/Helsinki")
    standard = TimezoneStandard()
    standard.add("dtstart", dt.datetime(1996, 10, 27, 4, 0))
    standard.add("rrule", {"freq": "yearly", "bymonth": 10, "byday": "-1su"})
    standard.add("tzoffsetfrom", dt.timedelta(hours=3))
    standard.add("tzoffsetto", dt.timedelta(hours=2))
    standard.add("tzname", "EET")
    daylight = TimezoneDaylight()
    daylight.add("dtstart", dt.datetime(1981, 3, 29, 3, 0))
    daylight.add("rrule", {"freq": "yearly", "bymonth": 3, "byday": "-1su"})
    daylight.add("tzoffsetfrom", dt.timedelta(hours=2))
    daylight.add("tzoffsetto", dt.timedelta(hours=3))
    daylight.add("tzname", "EEST")
    tz.add_component(standard)
    tz.add_component(daylight)
    return tz


async def cohort_calendar(cohort_id: int, lang: str = "fi") -> bytes:
    cohort = must_exist(await Cohort.select(Cohort.name).where(Cohort.id == cohort_id).first())
    return build_calendar(cohort["name"], await _rows(CourseSession.cohort == cohort_id), lang)


async def location_calendar(location_id: int, lang: str = "fi") -> bytes:
    location = must_exist(await Location.select(Location.name).where(Location.id == location_id).first())
    # NOTE: cancelled cohorts stay in: their sessions go out as CANCELLED, so calendars that hold them drop them.
    return build_calendar(location["name"], await _rows(CourseSession.cohort.location == location_id), lang)
