"""The follow-up invitation: a large-print letter (18 pt) in the senior's language.

The words are in ``texts/followup_letter.json``; placeholders in braces are filled with the
facts of the course. The letter names nobody but the senior it is addressed to and the
people they can call.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from pdf_templates.styles import build_document, para, stylesheet

TEXTS: dict[str, dict[str, str]] = json.loads(
    (Path(__file__).parent / "texts" / "followup_letter.json").read_text(encoding="utf-8")
)


@dataclass(frozen=True)
class FollowupLetter:
    """What one letter says: the senior, their course and whom to call."""

    name: str
    language: str
    course: str
    place: str
    address: str
    end: str  # the course's last day, written in the letter's language
    contact: str  # a trainer's (else the coordinator's) name and phone


def language_of(language: str | None) -> str:
    """The senior's language when the letter exists in it, else Finnish."""
    return language if language in TEXTS else "fi"


def render_followup_letter(letter: FollowupLetter) -> bytes:
    lang = language_of(letter.language)
    t = TEXTS[lang]
    styles = stylesheet("larger")
    facts = {
        "name": letter.name,
        "course": letter.course,
        "place": letter.place,
        "address": letter.address,
        "end": letter.end,
        "contact": letter.contact,
    }
    story = [
        para(t["title"], styles.title),
        para(t["hello"].format(**facts), styles.body),
        para(t["course"].format(**facts), styles.body),
        para(t["why"].format(**facts), styles.body),
        para(t["how_title"], styles.h1),
        para(t["visit"].format(**facts).replace(", .", "."), styles.body),
        para(t["call"], styles.body),
        para(t["time"], styles.body),
    ]
    if letter.contact:
        story += [para(t["contact_title"], styles.h1), para(t["contact"].format(**facts), styles.body)]
    story += [
        para(t["voluntary"], styles.body),
        para(t["help"], styles.body),
        Spacer(1, 6 * mm),
        para(t["thanks"], styles.body),
        para("Digiystävä", styles.body),
    ]
    out = io.BytesIO()
    build_document(out, story, title=t["title"], lang=lang, size="larger", footer="Digiystävä")
    return out.getvalue()
