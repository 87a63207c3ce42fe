"""Refusals in plain words: every validation error says what is allowed.

The one place that turns pydantic's errors (forms, rows of a file) and Litestar's
(msgspec's) errors of query parameters into a message for people. Each message is
marked with ``N_`` for the catalogs, so a page shows it in its own language; the API
keeps its own English detail.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from digiystava.i18n import N_
from digiystava.schemas import FIRST_DATE, LAST_DATE


def finnish_date(value: Any) -> str:
    """A date as people in Finland write it (6.12.2026), for messages and form fields."""
    return f"{value.day}.{value.month}.{value.year}"


DATE_FORMAT = N_("Write the date as day.month.year, for example 6.12.2026.")
TIME_FORMAT = N_("Write the time as hours:minutes, for example 14:30.")

# Published patterns and what they allow, in words.
_PATTERNS = [
    (re.compile(r"\[a-z\]\{2,3\}|\[A-Za-z\]\{2,3\}"), N_("Use language codes like fi, sv or en.")),
    (re.compile(r"\[0-9 \+\(\)-\]"), N_("Use only digits, spaces and the signs + ( ) -.")),
    (
        re.compile(r"A-Za-z0-9 \._/-"),
        N_("Start with a letter or a digit; then use letters A–Z, digits, spaces and the signs . _ / -."),
    ),
    (
        re.compile(r"A-Za-z0-9\._/-"),
        N_("Start with a letter or a digit; then use letters A–Z, digits and the signs . _ / - (no spaces)."),
    ),
    (re.compile(r"\\x00"), N_("Remove the invisible control characters.")),
]

# A service's own rule (pydantic's value_error), recognised by its English text.
_RULES = [
    (
        "identity code",
        N_(
            "Remove the personal identity code (henkilötunnus): the course does not need it, and it must not be stored here."  # noqa: E501
        ),
    ),
    ("in the future", N_("This date is still to come: record it once it has happened.")),
    ("control characters", N_("Remove the invisible control characters.")),
    ("written YYYY-MM-DD", DATE_FORMAT),
    ("written HH:MM", TIME_FORMAT),
    ("phone number of 5 to 15 digits", N_("Write a phone number of 5 to 15 digits, for example 040 123 4567.")),
    ("email address", N_("Write an email address like name@example.fi.")),
    ("before start_date", N_("The last day must not be before the first day.")),
    ("start must be before end", N_("The start time must be before the end time.")),
    ("quarter hours", N_("Write the hours in quarter hours, for example 1.5 or 2.25.")),
    ("'group' and/or 'practice'", N_("Write group and practice in the order of the weeks, separated by commas.")),
]


def _number(value: Any) -> str:
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def plain_message(error: Mapping[str, Any]) -> str:
    """A pydantic validation error of a form or a file's row in plain words."""
    kind = error.get("type", "")
    context = error.get("ctx") or {}
    text = str(error.get("msg", ""))
    if (
        kind in ("missing", "string_too_short", "too_short")
        and context.get("min_length", 1) <= 1
        and (kind != "too_short" or isinstance(error.get("input"), str))
    ):
        return N_("Fill in this field.")
    # NOTE: a length rule after a validator is pydantic's generic too_short/too_long, also for text.
    text_input = isinstance(error.get("input"), str)
    if kind == "string_too_short" or (kind == "too_short" and text_input):
        return N_("Use at least {num} characters.", num=context.get("min_length", 1))
    if kind == "string_too_long" or (kind == "too_long" and text_input):
        return N_("Use at most {num} characters.", num=context.get("max_length", 0))
    if kind == "too_long":
        return N_("Choose at most {num}.", num=context.get("max_length", 0))
    if kind == "too_short":
        return N_("Choose at least {num}.", num=context.get("min_length", 1))
    if kind in ("literal_error", "enum"):
        return N_("Choose one of these: {choices}.", choices=_choices(str(context.get("expected", ""))))
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        return _bound(kind, context)
    if kind.startswith("int_") or kind == "int_type":
        return N_("Enter a whole number, for example 12.")
    if kind.startswith(("float_", "decimal_")):
        return N_("Enter a number, for example 1.5.")
    if kind.startswith("bool_"):
        return N_("Choose yes or no.")
    if kind.startswith(("date_", "datetime_")):
        return DATE_FORMAT
    if kind.startswith("time_"):
        return TIME_FORMAT
    if kind == "string_pattern_mismatch":
        pattern = str(context.get("pattern", ""))
        for known, message in _PATTERNS:
            if known.search(pattern):
                return message
        return N_("Use only letters, digits and spaces.")
    if kind in ("value_error", "assertion_error"):
        if f"between {FIRST_DATE.isoformat()}" in text:
            return N_(
                "Enter a date between {first} and {last}.", first=finnish_date(FIRST_DATE), last=finnish_date(LAST_DATE)
            )
        for clue, message in _RULES:
            if clue in text:
                return message
    if kind == "extra_forbidden":
        return N_("This field is not expected here.")
    if kind in ("list_type", "dict_type", "model_type", "model_attributes_type"):
        return N_("Choose from the options given.")
    return N_("Enter the value in the form the field's hint shows.")


def _choices(expected: str) -> str:
    """pydantic's "'fi', 'sv' or 'en'" as "fi, sv, en"."""
    return ", ".join(re.findall(r"'([^']*)'", expected)) or expected


def _bound(kind: str, context: dict[str, Any]) -> str:
    if kind == "greater_than_equal":
        return N_("Enter a number of at least {num}.", num=_number(context.get("ge")))
    if kind == "greater_than":
        return N_("Enter a number greater than {num}.", num=_number(context.get("gt")))
    if kind == "less_than_equal":
        return N_("Enter a number of at most {num}.", num=_number(context.get("le")))
    return N_("Enter a number less than {num}.", num=_number(context.get("lt")))


# msgspec's messages for query and path parameters, as Litestar passes them on.
_PARAMETER_RULES = [
    (
        re.compile(r"Expected `(int|int \| null)` >= (-?\d+)"),
        lambda m: N_("Enter a number of at least {num}.", num=m[2]),
    ),
    (
        re.compile(r"Expected `(int|int \| null)` <= (-?\d+)"),
        lambda m: N_("Enter a number of at most {num}.", num=m[2]),
    ),
    (re.compile(r"Expected `str` of length <= (\d+)"), lambda m: N_("Use at most {num} characters.", num=m[1])),
    (re.compile(r"Expected `str` of length >= (\d+)"), lambda m: N_("Use at least {num} characters.", num=m[1])),
    (re.compile(r"Expected `(int|int \| null)`"), lambda m: N_("Enter a whole number, for example 12.")),
    (re.compile(r"Expected `(float|number)"), lambda m: N_("Enter a number, for example 1.5.")),
    (re.compile(r"Expected `(bool|bool \| null)`"), lambda m: N_("Choose yes or no.")),
    (re.compile(r"Expected `(date|date \| null)`"), lambda m: DATE_FORMAT),
    (
        re.compile(r"Invalid enum value|Expected `str` .*one of|Invalid value"),
        lambda m: N_("Choose from the options given."),
    ),
    (re.compile(r"Missing required"), lambda m: N_("Fill in this field.")),
    (re.compile(r"must not contain control characters"), lambda m: N_("Remove the invisible control characters.")),
    (
        re.compile(r"must be between (-?\d+) and (-?\d+)"),
        lambda m: N_("Enter a number from {low} to {high}.", low=m[1], high=m[2]),
    ),
]


def parameter_message(message: str) -> str | None:
    """A query or path parameter's refusal (msgspec's English) in plain words; None when unknown."""
    for pattern, build in _PARAMETER_RULES:
        match = pattern.search(message)
        if match:
            return build(match)
    return None
