"""The follow-up invitation: a large-print letter (18 pt) in the senior's language.

The words are under the context "follow-up letter" in the shared catalogs; placeholders in
braces are filled with the facts of the course. The letter names nobody but the senior it is addressed to and the
people they can call.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import cache

from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from digiystava.i18n import normalise
from pdf_templates.styles import build_document, para, stylesheet
from pdf_templates.wording import NP_, in_language

TEXTS = {
    "title": NP_("follow-up letter", "Invitation to a follow-up: have your digital skills lasted?"),
    "hello": NP_("follow-up letter", "Dear {name},"),
    "course": NP_(
        "follow-up letter",
        "You took the Digiystävä course {course} at {place}. The course ended on {end}. About three "
        "months have passed.",
    ),
    "why": NP_(
        "follow-up letter",
        "We would like to hear how you are getting on. We ask the same things as on the course: what "
        "you can do with the tablet now.",
    ),
    "how_title": NP_("follow-up letter", "How you can answer"),
    "visit": NP_("follow-up letter", "Come to a follow-up meeting: {place}, {address}."),
    "call": NP_("follow-up letter", "Or answer on the phone. We will call you in the next few days."),
    "time": NP_("follow-up letter", "Answering takes about 15 minutes."),
    "contact_title": NP_("follow-up letter", "Questions?"),
    "contact": NP_("follow-up letter", "Call: {contact}."),
    "voluntary": NP_(
        "follow-up letter",
        "Answering is voluntary. Your answers appear in reports only in groups of at least five people, "
        "never with your name.",
    ),
    "help": NP_("follow-up letter", "Digital support gives advice by phone on 09 310 10011, Monday to Friday 9–12."),
    "thanks": NP_("follow-up letter", "Thank you!"),
}


@cache
def texts(lang: str) -> dict[str, str]:
    return in_language(TEXTS, lang)


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


def render_followup_letter(letter: FollowupLetter) -> bytes:
    lang = normalise(letter.language)
    t = texts(lang)
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
