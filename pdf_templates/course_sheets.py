"""Printables of a cohort: the sign-in sheet of a session and the course schedule for seniors.

Large print (the style sheet's "large" size): both are handed to seniors.
Their words are under the context "course sheet" in the shared catalogs.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from functools import cache

from babel.dates import format_date
from reportlab.lib.units import cm
from reportlab.platypus import Spacer

from digiystava.i18n import normalise
from pdf_templates.styles import build_document, data_table, para, stylesheet
from pdf_templates.wording import NP_, in_language

TEXTS = {
    "sign_in_title": NP_("course sheet", "Sign-in sheet"),
    "schedule_title": NP_("course sheet", "Course schedule"),
    "week": NP_("course sheet", "Week"),
    "date": NP_("course sheet", "Date"),
    "time": NP_("course sheet", "Time"),
    "what": NP_("course sheet", "What we do"),
    "name": NP_("course sheet", "Name"),
    "signature": NP_("course sheet", "Signature"),
    "group": NP_("course sheet", "Group lesson"),
    "practice": NP_("course sheet", "Practice with your own digital friend"),
    "cancelled": NP_("course sheet", "CANCELLED"),
    "place": NP_("course sheet", "Place"),
    "holiday": NP_("course sheet", "Public holiday"),
    "intro": NP_("course sheet", "Welcome to the Digiystävä course! Bring your tablet and charger every time."),
    "help": NP_("course sheet", "Help with digital matters: Digital support 09 310 10011, Mon–Fri 9–12."),
}


@cache
def texts(lang: str) -> dict[str, str]:
    return in_language(TEXTS, lang)


def _date(day: dt.date, lang: str) -> str:
    return format_date(
        day,
        format="EEEE d.M.yyyy" if lang != "en" else "EEEE d MMMM yyyy",
        locale=normalise(lang),
    )


@dataclass(frozen=True)
class SheetSession:
    week: int
    date: dt.date
    start_time: dt.time
    kind: str  # "group" or "practice"
    cancelled: bool = False
    holiday: str = ""  # the public holiday's name when the session falls on one


@dataclass(frozen=True)
class SignInSheet:
    language: str
    course: str
    place: str
    session: SheetSession
    names: tuple[str, ...]  # "Last, First", in the order printed


@dataclass(frozen=True)
class CourseSchedule:
    language: str
    course: str
    place: str
    address: str
    sessions: tuple[SheetSession, ...]


def sign_in_sheet(sheet: SignInSheet) -> bytes:
    """One row per enrolled senior with a wide signature column; room for walk-ins at the end."""
    lang, session = sheet.language, sheet.session
    t, styles, out = texts(lang), stylesheet("large"), io.BytesIO()
    when = f"{_date(session.date, lang)} {session.start_time:%H.%M}"
    story: list = [
        para(f"{t['sign_in_title']}: {sheet.course}", styles.title),
        para(f"{t['place']}: {sheet.place}", styles.body),
        para(f"{t['week']} {session.week}, {when} – {t[session.kind]}", styles.body),
        Spacer(1, 0.4 * cm),
    ]
    # Names at body size and rows tall enough to sign in: seniors read and write here.
    rows = (
        [[t["name"], t["signature"]]]
        + [[para(name, styles.body), ""] for name in sheet.names]
        + [["", ""] for _ in range(3)]
    )
    table = data_table(rows, styles, col_widths=[8 * cm, 8.5 * cm], zebra=False, row_height=1.3 * cm)
    story.append(table)
    build_document(
        out, story, title=f"{t['sign_in_title']} – {sheet.course}", lang=lang, size="large", footer=sheet.course
    )
    return out.getvalue()


def course_schedule(schedule: CourseSchedule) -> bytes:
    lang = schedule.language
    t, styles, out = texts(lang), stylesheet("large"), io.BytesIO()
    story: list = [
        para(f"{t['schedule_title']}: {schedule.course}", styles.title),
        para(f"{t['place']}: {schedule.place}, {schedule.address}".rstrip(", "), styles.body),
        para(t["intro"], styles.body),
        Spacer(1, 0.3 * cm),
    ]
    rows = [[t["week"], t["date"], t["time"], t["what"]]]
    for s in schedule.sessions:
        what = t["cancelled"] if s.cancelled else t[s.kind]
        if s.holiday and not s.cancelled:
            what += f" ({t['holiday']}: {s.holiday})"
        rows.append([str(s.week), _date(s.date, lang), f"{s.start_time:%H.%M}", what])
    story.append(data_table(rows, styles, col_widths=[2.4 * cm, 5.8 * cm, 1.9 * cm, 6.4 * cm], numeric_columns=(0,)))
    story += [Spacer(1, 0.5 * cm), para(t["help"], styles.body)]
    build_document(
        out, story, title=f"{t['schedule_title']} – {schedule.course}", lang=lang, size="large", footer=schedule.course
    )
    return out.getvalue()
