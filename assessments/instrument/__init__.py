"""The versioned skill self-assessment instrument, kept as data (``v<N>.json``).

An assessment stores the instrument version it was answered on, so wording and skills can
change in a new version without rewriting old answers. A version's file is never edited
once answers exist for it; a change of skills or scale is a new ``v<N+1>.json``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Any

from digiystava.i18n import DEFAULT_LANGUAGE

__all__ = [
    "DigCompCompetence",
    "Instrument",
    "Level",
    "Skill",
    "UnknownInstrumentVersion",
    "Wish",
    "available_versions",
    "current_instrument",
    "load_instrument",
    "validate_answers",
]

# NOTE: Finnish (i18n.DEFAULT_LANGUAGE) is the programme's working language and every text exists in it.

_FILE_NAME = re.compile(r"^v(\d+)\.json$")


class UnknownInstrumentVersion(KeyError):
    """No instrument file exists for the requested version."""

    def __init__(self, version: object) -> None:
        super().__init__(version)
        self.version = version

    def __str__(self) -> str:
        # KeyError's own __str__ shows the repr of its argument; say what is missing.
        return f"no skill instrument version {self.version!r}"


def _text(texts: Mapping[str, str], lang: str) -> str:
    return texts.get(lang) or texts[DEFAULT_LANGUAGE]


@dataclass(frozen=True)
class DigCompCompetence:
    """The EU DigComp 2.2 competence a skill belongs to."""

    area: str
    competence: str
    title: str


@dataclass(frozen=True)
class Skill:
    """One everyday skill a senior rates themself on."""

    code: str
    labels: Mapping[str, str]
    short: Mapping[str, str]
    plain: Mapping[str, str]
    digcomp: DigCompCompetence

    def label(self, lang: str = DEFAULT_LANGUAGE) -> str:
        """Full name of the skill, e.g. for tables and forms."""
        return _text(self.labels, lang)

    def short_label(self, lang: str = DEFAULT_LANGUAGE) -> str:
        """A one-to-three-word name for chart axes."""
        return _text(self.short, lang)

    def statement(self, lang: str = DEFAULT_LANGUAGE) -> str:
        """The plain-language "I can ..." sentence printed on the senior's form."""
        return _text(self.plain, lang)


@dataclass(frozen=True)
class Level:
    """One step of the self-assessment scale."""

    value: int
    labels: Mapping[str, str]

    def label(self, lang: str = DEFAULT_LANGUAGE) -> str:
        return _text(self.labels, lang)


@dataclass(frozen=True)
class Wish:
    """Something a senior may wish to learn, ticked at intake."""

    code: str
    labels: Mapping[str, str]

    def label(self, lang: str = DEFAULT_LANGUAGE) -> str:
        return _text(self.labels, lang)


@dataclass(frozen=True)
class Instrument:
    """One version of the skill instrument: its skills, scale and intake wishes."""

    code: str
    version: int
    skills: tuple[Skill, ...]
    levels: tuple[Level, ...]
    wishes: tuple[Wish, ...]

    @property
    def skill_codes(self) -> tuple[str, ...]:
        return tuple(skill.code for skill in self.skills)

    @property
    def level_values(self) -> tuple[int, ...]:
        return tuple(level.value for level in self.levels)

    @property
    def wish_codes(self) -> tuple[str, ...]:
        return tuple(wish.code for wish in self.wishes)

    @property
    def min_level(self) -> int:
        return min(self.level_values)

    @property
    def max_level(self) -> int:
        return max(self.level_values)

    def skill(self, code: str) -> Skill:
        """The skill with this code; ``KeyError`` when this version has no such skill."""
        for skill in self.skills:
            if skill.code == code:
                return skill
        raise KeyError(code)

    def level(self, value: int) -> Level:
        """The scale step with this value; ``KeyError`` when it is off the scale."""
        for level in self.levels:
            if level.value == value:
                return level
        raise KeyError(value)

    def wish(self, code: str) -> Wish:
        """The intake wish with this code; ``KeyError`` when unknown."""
        for wish in self.wishes:
            if wish.code == code:
                return wish
        raise KeyError(code)

    def skill_label(self, code: str, lang: str = DEFAULT_LANGUAGE) -> str:
        return self.skill(code).label(lang)

    def level_label(self, value: int, lang: str = DEFAULT_LANGUAGE) -> str:
        return self.level(value).label(lang)

    def wish_label(self, code: str, lang: str = DEFAULT_LANGUAGE) -> str:
        return self.wish(code).label(lang)


def _texts(raw: Mapping[str, str], where: str) -> Mapping[str, str]:
    if not raw.get(DEFAULT_LANGUAGE):
        raise ValueError(f"{where}: a {DEFAULT_LANGUAGE!r} text is required")
    # Read-only, because one cached Instrument is shared by every request.
    return MappingProxyType(dict(raw))


def _unique(codes: list[Any], what: str, version: int) -> None:
    if len(set(codes)) != len(codes):
        raise ValueError(f"instrument version {version}: duplicate {what}")


def _parse(data: Mapping[str, Any], version: int) -> Instrument:
    if data["version"] != version:
        raise ValueError(f"v{version}.json declares version {data['version']}")
    skills = tuple(
        Skill(
            code=raw["code"],
            labels=_texts(raw["labels"], f"skill {raw['code']} labels"),
            short=_texts(raw["short"], f"skill {raw['code']} short"),
            plain=_texts(raw["plain"], f"skill {raw['code']} plain"),
            digcomp=DigCompCompetence(**raw["digcomp"]),
        )
        for raw in data["skills"]
    )
    levels = tuple(
        Level(value=raw["value"], labels=_texts(raw["labels"], f"level {raw['value']}")) for raw in data["levels"]
    )
    wishes = tuple(
        Wish(code=raw["code"], labels=_texts(raw["labels"], f"wish {raw['code']}")) for raw in data["wishes"]
    )
    _unique([skill.code for skill in skills], "skill codes", version)
    _unique([level.value for level in levels], "level values", version)
    _unique([wish.code for wish in wishes], "wish codes", version)
    return Instrument(code=data["code"], version=version, skills=skills, levels=levels, wishes=wishes)


@cache
def available_versions() -> tuple[int, ...]:
    """Every instrument version that has a file, oldest first."""
    found = (_FILE_NAME.match(entry.name) for entry in resources.files(__name__).iterdir())
    return tuple(sorted(int(match.group(1)) for match in found if match))


@cache
def load_instrument(version: int) -> Instrument:
    """The instrument of this version, read once from ``v<version>.json``."""
    # A bool is an int to Python, but ``load_instrument(True)`` is a caller's mistake.
    if isinstance(version, bool) or not isinstance(version, int):
        raise UnknownInstrumentVersion(version)
    if version not in available_versions():
        raise UnknownInstrumentVersion(version)
    raw = resources.files(__name__).joinpath(f"v{version}.json").read_text(encoding="utf-8")
    return _parse(json.loads(raw), version)


def current_instrument() -> Instrument:
    """The newest instrument version, used for new assessments."""
    versions = available_versions()
    if not versions:
        raise UnknownInstrumentVersion("current")
    return load_instrument(versions[-1])


def validate_answers(instrument: Instrument, answers: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Problems with a senior's answers as ``(field, message)`` pairs; empty when valid.

    ``answers`` maps skill codes to a level or ``None``. ``None`` means "not asked / no
    answer" and is not the same as level 0; a skill left out is also "no answer".
    """
    if not isinstance(answers, Mapping):
        return [("answers", "answers must be an object of skill codes to levels")]
    known = set(instrument.skill_codes)
    values = set(instrument.level_values)
    level_message = f"level must be {instrument.min_level}-{instrument.max_level} or null"
    problems: list[tuple[str, str]] = []
    for code, level in answers.items():
        field = f"answers.{code}"
        if code not in known:
            problems.append((field, f"unknown skill for instrument version {instrument.version}"))
        elif level is None:
            continue
        # NOTE: bool is a subclass of int, so True would otherwise pass as level 1.
        elif isinstance(level, bool) or not isinstance(level, int) or level not in values:
            problems.append((field, level_message))
    return problems
