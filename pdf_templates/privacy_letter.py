"""The access letter: everything held about one senior, large print, in their language."""

from __future__ import annotations

import io
import re
from functools import cache
from typing import Any

from reportlab.lib.units import cm
from reportlab.platypus import Spacer

from digiystava.i18n import normalise
from pdf_templates.styles import build_document, data_table, para, stylesheet
from pdf_templates.wording import NP_, in_language

# The letter's words, under the context "privacy letter" in the shared catalogs; "values" are
# the export's codes (statuses, phases, audit actions, needs) as the senior reads them.
TEXTS = {
    "title": NP_("privacy letter", "Your data in the Digiystävä programme"),
    "intro": NP_(
        "privacy letter", "You asked to see the data the Digiystävä programme holds about you. Here is all of it."
    ),
    "person": NP_("privacy letter", "Personal details"),
    "courses": NP_("privacy letter", "Courses"),
    "attendance": NP_("privacy letter", "Attendance"),
    "loans": NP_("privacy letter", "Tablets lent to you"),
    "pairings": NP_("privacy letter", "Digital friends"),
    "assessments": NP_("privacy letter", "Skill questionnaires"),
    "history": NP_("privacy letter", "Who has handled your data"),
    "none": NP_("privacy letter", "Nothing recorded."),
    "fields": {
        "first_name": NP_("privacy letter", "First name"),
        "last_name": NP_("privacy letter", "Last name"),
        "phone": NP_("privacy letter", "Phone"),
        "email": NP_("privacy letter", "Email"),
        "language": NP_("privacy letter", "Language"),
        "district": NP_("privacy letter", "District"),
        "birth_year": NP_("privacy letter", "Birth year"),
        "accessibility_needs": NP_("privacy letter", "Needs help with"),
        "consent_given_on": NP_("privacy letter", "Consent given on"),
        "pseudonym": NP_("privacy letter", "Code in reports"),
    },
    "rights": NP_(
        "privacy letter",
        "You can ask the course trainer or the coordinator to correct or erase your data. Your data is "
        "erased at the latest two years after your last course.",
    ),
    "help": NP_("privacy letter", "Questions? Digital support 09 310 10011, Mon–Fri 9–12."),
    "columns": {
        "cohort": NP_("privacy letter", "Course"),
        "location": NP_("privacy letter", "Place"),
        "start_date": NP_("privacy letter", "Started"),
        "status": NP_("privacy letter", "Status"),
        "date": NP_("privacy letter", "Date"),
        "tablet": NP_("privacy letter", "Tablet"),
        "model": NP_("privacy letter", "Model"),
        "due_date": NP_("privacy letter", "Due back"),
        "returned_at": NP_("privacy letter", "Returned"),
        "outcome": NP_("privacy letter", "Outcome"),
        "volunteer": NP_("privacy letter", "Digital friend"),
        "started_on": NP_("privacy letter", "Started"),
        "ended_on": NP_("privacy letter", "Ended"),
        "phase": NP_("privacy letter", "Questionnaire"),
        "recorded_at": NP_("privacy letter", "Recorded"),
        "wishes_text": NP_("privacy letter", "Wishes"),
        "at": NP_("privacy letter", "Time"),
        "username": NP_("privacy letter", "Handled by"),
        "action": NP_("privacy letter", "Action"),
    },
    "values": {
        "enrolled": NP_("privacy letter", "enrolled"),
        "waitlisted": NP_("privacy letter", "on the waiting list"),
        "completed": NP_("privacy letter", "completed"),
        "dropped": NP_("privacy letter", "dropped out"),
        "present": NP_("privacy letter", "present"),
        "absent": NP_("privacy letter", "absent"),
        "excused": NP_("privacy letter", "excused"),
        "before": NP_("privacy letter", "at the start"),
        "after": NP_("privacy letter", "at the end"),
        "returned": NP_("privacy letter", "returned"),
        "kept": NP_("privacy letter", "kept"),
        "lost": NP_("privacy letter", "lost"),
        "maintenance": NP_("privacy letter", "in maintenance"),
        "create": NP_("privacy letter", "created"),
        "update": NP_("privacy letter", "changed"),
        "export": NP_("privacy letter", "data given out"),
        "erase": NP_("privacy letter", "erased"),
        "correct": NP_("privacy letter", "corrected"),
        "sight": NP_("privacy letter", "seeing"),
        "hearing": NP_("privacy letter", "hearing"),
        "hands": NP_("privacy letter", "using the hands"),
        "memory": NP_("privacy letter", "memory"),
    },
}


@cache
def texts(lang: str) -> dict[str, Any]:
    return in_language(TEXTS, lang)


def _cell(value: Any, t: dict[str, Any]) -> str:
    """A value as the senior reads it: words in their language, dates as d.M.yyyy."""
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(_cell(v, t) for v in value)
    text = str(value)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}([T ].*)?", text):
        year, month, day = text[:10].split("-")
        return f"{int(day)}.{int(month)}.{year}"
    return t["values"].get(text, text)


def _rows(items: list[dict[str, Any]], keys: list[str], t: dict[str, Any]) -> list[list[str]]:
    return [[_cell(item.get(k), t) for k in keys] for item in items]


def access_letter(data: dict[str, Any]) -> bytes:
    person = data["participant"]
    lang = normalise(person.get("language"))
    t, styles, out = texts(lang), stylesheet("large"), io.BytesIO()
    story: list = [
        para(t["title"], styles.title),
        para(t["intro"], styles.body),
        Spacer(1, 0.3 * cm),
        para(t["person"], styles.h1),
    ]
    story.append(
        data_table(
            [[label, _cell(person.get(key), t)] for key, label in t["fields"].items()],
            styles,
            header_rows=0,
            col_widths=[6 * cm, 10.5 * cm],
        )
    )
    sections = [
        ("courses", "enrolments", ["cohort", "location", "start_date", "status"]),
        ("attendance", "attendance", ["cohort", "date", "status"]),
        ("loans", "loans", ["tablet", "due_date", "returned_at", "outcome"]),
        ("pairings", "pairings", ["cohort", "volunteer", "started_on", "ended_on"]),
        ("assessments", "assessments", ["cohort", "phase", "recorded_at", "wishes_text"]),
        ("history", "history", ["at", "username", "action"]),
    ]
    for title, key, columns in sections:
        story.append(para(t[title], styles.h1))
        rows = data.get(key) or []
        if key == "loans":  # the model in the same cell: four columns fit large print
            rows = [{**row, "tablet": f"{row.get('tablet', '')}, {row.get('model', '')}"} for row in rows]
        header = [t["columns"].get(c, c) for c in columns]
        story.append(data_table([header] + _rows(rows, columns, t), styles) if rows else para(t["none"], styles.body))
    story += [Spacer(1, 0.5 * cm), para(t["rights"], styles.body), para(t["help"], styles.body)]
    build_document(out, story, title=t["title"], lang=lang, size="large")
    return out.getvalue()
