"""The skill instrument as data: loading, labels and answer validation."""

from __future__ import annotations

from typing import Any

import pytest

from assessments.instrument import (
    Instrument,
    UnknownInstrumentVersion,
    available_versions,
    current_instrument,
    load_instrument,
    validate_answers,
)
from digiystava.i18n import LANGUAGES

SKILL_CODES = (
    "search", "email", "calendar", "banking", "shopping", "health", "photos",
    "e_reading", "streaming", "music", "games", "contact", "remote_groups",
)  # fmt: skip
WISH_CODES = (
    "contact", "information", "timetables", "photos", "email", "bills", "health",
    "doctor", "bank", "kela", "groceries",
)  # fmt: skip
DIGCOMP_TITLES = {
    "1.1": "Browsing, searching and filtering data, information and digital content",
    "1.2": "Evaluating data, information and digital content",
    "1.3": "Managing data, information and digital content",
    "2.1": "Interacting through digital technologies",
    "2.2": "Sharing through digital technologies",
    "2.3": "Engaging in citizenship through digital technologies",
    "2.4": "Collaborating through digital technologies",
    "3.1": "Developing digital content",
    "4.3": "Protecting health and well-being",
    "5.2": "Identifying needs and technological responses",
}


@pytest.fixture
def v1() -> Instrument:
    return load_instrument(1)


def test_version_one(v1: Instrument) -> None:
    assert (v1.code, v1.version) == ("digiystava-skills", 1)
    assert v1.skill_codes == SKILL_CODES
    assert v1.wish_codes == WISH_CODES
    assert v1.level_values == (0, 1, 2, 3, 4)
    assert (v1.min_level, v1.max_level) == (0, 4)


def test_every_text_exists_in_every_language(v1: Instrument) -> None:
    for skill in v1.skills:
        for texts in (skill.labels, skill.short, skill.plain):
            assert set(texts) == set(LANGUAGES), skill.code
            assert all(text.strip() for text in texts.values()), skill.code
        # Chart axes have room for a few words only.
        assert all(len(text.split()) <= 3 for text in skill.short.values()), skill.code
    for item in (*v1.levels, *v1.wishes):
        assert set(item.labels) == set(LANGUAGES)


def test_digcomp_mapping(v1: Instrument) -> None:
    for skill in v1.skills:
        ref = skill.digcomp
        assert ref.competence.startswith(f"{ref.area}."), skill.code
        assert DIGCOMP_TITLES[ref.competence] == ref.title, skill.code
    assert v1.skill("search").digcomp.competence == "1.1"
    assert v1.skill("email").digcomp.competence == "2.1"


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("fi", "Sähköpostien lukeminen ja kirjoittaminen"),
        ("sv", "Läsa och skriva e-post"),
        ("en", "Reading and writing email"),
        ("de", "Sähköpostien lukeminen ja kirjoittaminen"),  # unknown language: Finnish
    ],
)
def test_skill_label(v1: Instrument, lang: str, expected: str) -> None:
    assert v1.skill("email").label(lang) == expected
    assert v1.skill_label("email", lang) == expected


def test_other_texts_and_fallback(v1: Instrument) -> None:
    assert v1.skill("email").statement("en") == "I can read and write email."
    assert v1.skill("email").short_label("sv") == "E-post"
    assert v1.skill("email").short_label("xx") == "Sähköposti"
    assert v1.level_label(0, "en") == "I don't know how to do it"
    assert v1.level_label(4, "fi") == "Voin opastaa muita"
    assert v1.level(2).label("nb") == "Osaan itsenäisesti"
    assert v1.wish_label("kela", "sv") == "FPA-ärenden"


@pytest.mark.parametrize(
    ("lookup", "key"),
    [("skill", "printing"), ("level", 5), ("wish", "travel")],  # none exist in version 1
)
def test_unknown_items(v1: Instrument, lookup: str, key: Any) -> None:
    with pytest.raises(KeyError):
        getattr(v1, lookup)(key)


def test_loaded_once_and_read_only(v1: Instrument) -> None:
    assert load_instrument(1) is v1
    with pytest.raises(TypeError):
        v1.skill("email").labels["fi"] = "muutettu"  # type: ignore[index]


@pytest.mark.parametrize(
    "version",
    [
        999,  # no such file
        0,  # versions start at 1
        True,  # a bool is not a version number
        "1",  # nor is a string
    ],
)
def test_unknown_version(version: Any) -> None:
    with pytest.raises(UnknownInstrumentVersion) as caught:
        load_instrument(version)
    assert isinstance(caught.value, KeyError)
    assert "version" in str(caught.value)


def test_current_is_the_highest_version() -> None:
    assert available_versions()[0] == 1
    assert current_instrument().version == max(available_versions())


@pytest.mark.parametrize(
    "answers",
    [
        {},  # nothing answered yet
        {"email": None, "search": None},  # asked, no answer
        {"email": 0, "search": 4},  # both ends of the scale
        {code: 2 for code in SKILL_CODES},  # every skill
    ],
)
def test_valid_answers(v1: Instrument, answers: dict[str, Any]) -> None:
    assert validate_answers(v1, answers) == []


LEVEL_MESSAGE = "level must be 0-4 or null"


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ({"printing": 2}, [("answers.printing", "unknown skill for instrument version 1")]),
        ({"printing": None}, [("answers.printing", "unknown skill for instrument version 1")]),
        ({"email": 5}, [("answers.email", LEVEL_MESSAGE)]),  # above the scale
        ({"email": -1}, [("answers.email", LEVEL_MESSAGE)]),  # below the scale
        ({"email": True}, [("answers.email", LEVEL_MESSAGE)]),  # bool, although True == 1
        ({"email": False}, [("answers.email", LEVEL_MESSAGE)]),  # bool, not "no answer" or 0
        ({"email": "2"}, [("answers.email", LEVEL_MESSAGE)]),  # a string from a form
        ({"email": 2.0}, [("answers.email", LEVEL_MESSAGE)]),  # a float
        ({"email": [2]}, [("answers.email", LEVEL_MESSAGE)]),  # a list
        (
            {"email": 9, "search": 1, "typing": 0},  # every problem is reported, in order
            [
                ("answers.email", LEVEL_MESSAGE),
                ("answers.typing", "unknown skill for instrument version 1"),
            ],
        ),
    ],
)
def test_invalid_answers(v1: Instrument, answers: dict[str, Any], expected: list[tuple[str, str]]) -> None:
    assert validate_answers(v1, answers) == expected


def test_answers_must_be_an_object(v1: Instrument) -> None:
    assert validate_answers(v1, [2, 3]) == [  # type: ignore[arg-type]
        ("answers", "answers must be an object of skill codes to levels")
    ]
