"""A guide made personal: the cohort's facts, the senior's tablet, friend and priorities.

Plain data in, plain data out (no database, no layout): the services gather the facts,
``tailor`` picks and orders the chapters, and both the PDF layout (``guide_layout``) and
the HTML page render the same ``TailoredGuide``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from functools import cache

from pdf_templates.guide_content import Block, Chapter, Guide, load_guide, normalize_language
from pdf_templates.wording import NP_, in_language

SIZES = ("large", "larger")

# Words printed around the chapters (the chapters themselves are content files in guides/),
# under the context "guide" in the shared catalogs.
TEXTS = {
    "prepared_for": NP_("guide", "Your own guide: {name}"),
    "my_course": NP_("guide", "My course"),
    "course_of_group": NP_("guide", "The group's course"),
    "place": NP_("guide", "Place"),
    "date": NP_("guide", "Day"),
    "time": NP_("guide", "Time"),
    "what": NP_("guide", "What we do"),
    "cancelled": NP_("guide", "CANCELLED"),
    "coordinator": NP_("guide", "Project coordinator"),
    "phone": NP_("guide", "Phone"),
    "email": NP_("guide", "Email"),
    "friend_unknown": NP_("guide", "(write here)"),
    "your_order": NP_(
        "guide",
        "The chapters are in an order that suits you: first the things you wished to learn, then the "
        "ones you want to practise most.",
    ),
    "only_os_android": NP_("guide", "This guide has the steps for Android tablets."),
    "only_os_ipados": NP_("guide", "This guide has the steps for the iPad."),
    "both_os": NP_(
        "guide",
        "The steps are written separately for Android tablets and for the iPad. Read the ones for your own tablet.",
    ),
    "notes_hint": NP_("guide", "Write your own notes here."),
    "the_group": NP_("guide", "Group"),
    "course_sessions": NP_("guide", "The course sessions"),
    "minutes": NP_("guide", "{n} min"),
    "card_cut": NP_("guide", "Cut the cards out along the dashed line."),
    "cohort_guide": NP_("guide", "The group's shared guide"),
    "roster": NP_("guide", "The seniors of the group"),
    "tablet": NP_("guide", "Tablet"),
    "no_tablet": NP_("guide", "not on loan yet"),
    "name": NP_("guide", "Name"),
    "digital_friend": NP_("guide", "Digital friend"),
    "trainer": NP_("guide", "Trainer"),
    "needs": NP_("guide", "Needs help with"),
    "need_sight": NP_("guide", "seeing"),
    "need_hearing": NP_("guide", "hearing"),
    "need_hands": NP_("guide", "using the hands"),
    "need_memory": NP_("guide", "memory"),
}


@cache
def layout_texts(lang: str) -> dict[str, str]:
    """Words the layout prints around the chapters, in the guide's language."""
    return in_language(TEXTS, normalize_language(lang))


@dataclass(frozen=True)
class Session:
    week: int
    date: dt.date
    start_time: dt.time
    kind: str  # group | practice
    cancelled: bool = False


@dataclass(frozen=True)
class Contact:
    name: str
    phone: str = ""
    email: str = ""

    @property
    def reach(self) -> str:
        """Phone and email on one line, whichever exist."""
        return ", ".join(v for v in (self.phone, self.email) if v)


@dataclass(frozen=True)
class CourseInfo:
    """What every guide of one cohort says about the course."""

    cohort_name: str
    place: str
    address: str = ""
    session_minutes: int = 90
    sessions: tuple[Session, ...] = ()
    trainers: tuple[Contact, ...] = ()
    coordinator: Contact | None = None


@dataclass(frozen=True)
class SeniorInfo:
    """What makes one senior's guide theirs."""

    name: str
    os: str | None = None  # android | ipados | None (no loan: both kinds of steps)
    friend_first_name: str = ""
    skill_order: tuple[str, ...] = ()  # skill codes to put first, most wanted first


@dataclass(frozen=True)
class RosterLine:
    """One senior in the trainer's guide: name, tablet type, digital friend and what they need help with."""

    name: str
    os: str | None = None
    friend_first_name: str = ""
    needs: tuple[str, ...] = ()  # accessibility need codes: sight | hearing | hands | memory


@dataclass(frozen=True)
class Part:
    key: str  # getting_started | skills | closing | trainer
    title: str
    chapters: tuple[Chapter, ...]


@dataclass(frozen=True)
class TailoredGuide:
    guide: Guide
    parts: tuple[Part, ...]
    course: CourseInfo | None
    senior: SeniorInfo | None
    texts: Mapping[str, str]
    roster: tuple[RosterLine, ...] = ()

    @property
    def lang(self) -> str:
        return self.guide.lang

    @property
    def labels(self) -> Mapping[str, str]:
        return self.guide.labels

    @property
    def chapters(self) -> tuple[Chapter, ...]:
        return tuple(c for part in self.parts for c in part.chapters)

    @property
    def os(self) -> str | None:
        return self.senior.os if self.senior else None


def _same_label(written: str, label: str) -> bool:
    a, b = written.strip().casefold(), label.strip().casefold()
    return bool(a) and (a == b or a in b or b in a)


def _fill_help(
    chapter: Chapter, labels: Mapping[str, str], course: CourseInfo | None, senior: SeniorInfo | None
) -> Chapter:
    """Write the friend's first name and the trainer into the blanks of "where to get help"."""
    trainer = course.trainers[0] if course and course.trainers else None
    friend = senior.friend_first_name if senior else ""
    blocks = []
    for block in chapter.blocks:
        if block.kind != "bullets" or not any("___" in i for i in block.items):
            blocks.append(block)
            continue
        items, previous = [], ""
        for item in block.items:
            written, sep, rest = item.partition(":")
            value = ""
            if sep and "___" in rest:
                if friend and _same_label(written, labels["my_digital_friend"]):
                    value = friend
                elif trainer and _same_label(written, labels["my_trainer"]):
                    value = trainer.name
                elif trainer and previous == "trainer":
                    value = trainer.reach
            previous = "trainer" if trainer and _same_label(written, labels["my_trainer"]) else ""
            items.append(f"{written}: {value}" if value else item)
        blocks.append(replace(block, items=tuple(items)))
    return replace(chapter, blocks=tuple(blocks))


def tailor(
    kind: str,
    lang: str,
    course: CourseInfo | None = None,
    senior: SeniorInfo | None = None,
    roster: Iterable[RosterLine] = (),
) -> TailoredGuide:
    """The guide in ``lang`` for a cohort, or for one senior of it when ``senior`` is given."""
    guide = load_guide(kind, lang)
    texts = layout_texts(guide.lang)
    if kind == "trainer":
        parts: tuple[Part, ...] = (Part("trainer", guide.title, guide.chapters),)
        return TailoredGuide(guide, parts, course, None, texts, tuple(roster))
    if senior and senior.os:
        guide = guide.for_os(senior.os)
    ordered = guide.ordered(senior.skill_order if senior else ())
    labels = guide.labels
    start = tuple(c for c in ordered if not c.skill_code and c.number < 10)
    skills = tuple(c for c in ordered if c.skill_code)
    closing = tuple(
        _fill_help(c, labels, course, senior) if c.key == "help" else c
        for c in ordered
        if not c.skill_code and c.number >= 10
    )
    parts = (
        Part("getting_started", labels["getting_started"], start),
        Part("skills", labels["skills"], skills),
        Part("closing", "", closing),  # "where to get help" needs no heading of its own
    )
    return TailoredGuide(guide, tuple(p for p in parts if p.chapters), course, senior, texts)


def os_blocks(blocks: Iterable[Block]) -> list[tuple[str | None, list[Block]]]:
    """Consecutive blocks grouped by tablet type, so each ``::: android`` run prints as one box."""
    groups: list[tuple[str | None, list[Block]]] = []
    for block in blocks:
        if groups and groups[-1][0] == block.os and block.os is not None:
            groups[-1][1].append(block)
        else:
            groups.append((block.os, [block]))
    return groups
