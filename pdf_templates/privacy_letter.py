"""The access letter: everything held about one senior, large print, in their language."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

from reportlab.lib.units import cm
from reportlab.platypus import Spacer

from pdf_templates.styles import build_document, data_table, para, stylesheet

TEXTS = json.loads((Path(__file__).parent / "texts" / "privacy_letter.json").read_text(encoding="utf-8"))


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
    lang = person.get("language") if person.get("language") in TEXTS else "fi"
    t, styles, out = TEXTS[lang], stylesheet("large"), io.BytesIO()
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
