"""Printables of a cohort: the sign-in sheet of a session and the course schedule for seniors.

Large print (the style sheet's "large" size): both are handed to seniors.
Texts live in ``texts/course_sheets.json``, one block per language.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from functools import lru_cache
from pathlib import Path

from babel.dates import format_date
from reportlab.lib.units import cm
from reportlab.platypus import Spacer

from pdf_templates.styles import build_document, data_table, para, stylesheet

TEXTS = Path(__file__).parent / "texts" / "course_sheets.json"


@lru_cache(maxsize=1)
def _texts() -> dict[str, dict[str, str]]:
    return json.loads(TEXTS.read_text(encoding="utf-8"))


def texts(lang: str) -> dict[str, str]:
    all_texts = _texts()
    return all_texts.get(lang, all_texts["fi"])


def _date(day: dt.date, lang: str) -> str:
    return format_date(
        day,
        format="EEEE d.M.yyyy" if lang != "en" else "EEEE d MMMM yyyy",
        locale=lang if lang in ("fi", "sv", "en") else "fi",
    )


def sign_in_sheet(cohort: dict, session: dict, names: list[str], lang: str = "fi") -> bytes:
    """One row per enrolled senior with a wide signature column; room for walk-ins at the end."""
    t, styles, out = texts(lang), stylesheet("large"), io.BytesIO()
    story: list = [
        para(f"{t['sign_in_title']}: {cohort['name']}", styles.title),
        para(f"{t['place']}: {cohort['location_name']}", styles.body),
        para(
            f"{t['week']} {session['week']}, {_date(session['date'], lang)} {session['start_time']:%H.%M} – "
            f"{t[session['kind']]}",
            styles.body,
        ),
        Spacer(1, 0.4 * cm),
    ]
    # Names at body size and rows tall enough to sign in: seniors read and write here.
    rows = (
        [[t["name"], t["signature"]]] + [[para(name, styles.body), ""] for name in names] + [["", ""] for _ in range(3)]
    )
    table = data_table(rows, styles, col_widths=[8 * cm, 8.5 * cm], zebra=False, row_height=1.3 * cm)
    story.append(table)
    build_document(
        out, story, title=f"{t['sign_in_title']} – {cohort['name']}", lang=lang, size="large", footer=cohort["name"]
    )
    return out.getvalue()


def course_schedule(cohort: dict, sessions: list[dict], lang: str = "fi") -> bytes:
    t, styles, out = texts(lang), stylesheet("large"), io.BytesIO()
    story: list = [
        para(f"{t['schedule_title']}: {cohort['name']}", styles.title),
        para(f"{t['place']}: {cohort['location_name']}, {cohort.get('address', '')}".rstrip(", "), styles.body),
        para(t["intro"], styles.body),
        Spacer(1, 0.3 * cm),
    ]
    rows = [[t["week"], t["date"], t["time"], t["what"]]]
    for s in sessions:
        what = t["cancelled"] if s["cancelled"] else t[s["kind"]]
        if s["holiday"] and not s["cancelled"]:
            what += f" ({t['holiday']}: {s['holiday']})"
        rows.append([str(s["week"]), _date(s["date"], lang), f"{s['start_time']:%H.%M}", what])
    story.append(data_table(rows, styles, col_widths=[2.4 * cm, 5.8 * cm, 1.9 * cm, 6.4 * cm], numeric_columns=(0,)))
    story += [Spacer(1, 0.5 * cm), para(t["help"], styles.body)]
    build_document(
        out, story, title=f"{t['schedule_title']} – {cohort['name']}", lang=lang, size="large", footer=cohort["name"]
    )
    return out.getvalue()
