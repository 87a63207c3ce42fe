"""Building blocks shared by every schema: clean strings, strict models, pages."""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Annotated, Any, Generic, ParamSpec, TypeVar

import msgspec
from annotated_types import Ge, Le
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    TypeAdapter,
    model_validator,
)

from digiystava.errors import InvalidInput
from digiystava.i18n import N_

T = TypeVar("T")
P = ParamSpec("P")


# NOTE: both checks run before the edges are trimmed: the published patterns refuse a control
# character anywhere, so a trailing line feed in a name is refused, not silently trimmed.
def _no_control_characters(value: Any) -> Any:
    """Reject NUL and other control characters; they break CSV, PDF and terminals (multi-line text keeps LF and tab)."""
    if isinstance(value, str):
        for char in value:
            if unicodedata.category(char) == "Cc" and char not in "\n\t":
                raise ValueError("must not contain control characters")
    return value


def _one_line(value: Any) -> Any:
    """A name or a one-line text: no control character at all, a bare line feed included.

    One line feed in a location's name would break every calendar feed that names it.
    """
    if isinstance(value, str):
        for char in value:
            if unicodedata.category(char) in ("Cc", "Zl", "Zp"):
                raise ValueError("must be one line, without control characters")
    return value


def model_json(model: BaseModel) -> msgspec.Raw:
    """A model in an answer, written by pydantic straight to JSON and embedded as is.

    Litestar's own encoder dumps a model to Python objects and has msgspec encode those:
    two passes over a 50-row page, about a tenth of a list request's time. A ``PlainPage``
    holds its JSON's values already: msgspec encodes them as they are.
    """
    if type(model) is PlainPage:
        return msgspec.Raw(
            _PLAIN.encode({"items": model.items, "total": model.total, "limit": model.limit, "offset": model.offset})
        )
    return msgspec.Raw(model.model_dump_json().encode())


def _written_as_pydantic_does(value: Any) -> Any:
    """A date or datetime of a subclass msgspec does not take (a frozen test clock's): as pydantic writes it.

    Any other type has no place in a plain page: refused, as msgspec refuses it.
    """
    if isinstance(value, (dt.datetime, dt.date)):
        text = value.isoformat()
        return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text
    raise TypeError(f"a plain page holds JSON values only, not {type(value).__name__}")


_PLAIN = msgspec.json.Encoder(enc_hook=_written_as_pydantic_does)


@dataclass(frozen=True)
class PublishedPattern:
    """The text pattern the API publishes for a value that is not text in Python (a date); see openapi.py."""

    pattern: str


# Ids are PostgreSQL integers on both engines: a larger number can name no record.
MAX_ID = 2**31 - 1
# Dates the programme can sensibly hold; a course's end or a loan's due date stays in the calendar.
FIRST_DATE, LAST_DATE = dt.date(2000, 1, 1), dt.date(2099, 12, 31)
DATE_PATTERN = r"^20[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"
# Local times of day in Helsinki, written HH:MM (seconds allowed and ignored by people).
TIME_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$"


def _iso_date(value: Any) -> Any:
    """Dates come as ISO text (or as dates from the pages), never as a number pydantic would read as seconds."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if not isinstance(value, str) or not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        raise ValueError("must be a date written YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError("must be a date written YYYY-MM-DD") from None


def _within_calendar(value: dt.date) -> dt.date:
    if not FIRST_DATE <= value <= LAST_DATE:
        raise ValueError(f"must be between {FIRST_DATE.isoformat()} and {LAST_DATE.isoformat()}")
    return value


def _time_of_day(value: Any) -> Any:
    """A time of day as HH:MM text (or a time from the pages); never a duration, a number or a time zone."""
    if isinstance(value, dt.time):
        return value
    if not isinstance(value, str) or not re.fullmatch(TIME_PATTERN, value):
        raise ValueError("must be a time of day written HH:MM")
    return dt.time.fromisoformat(value)


def _load_json(value: Any) -> Any:
    """JSON columns arrive as text from some engines; decode them for the output models."""
    return json.loads(value) if isinstance(value, (str, bytes)) else value


# A JSON column read back as a list of strings, on every engine.
JsonStrList = Annotated[list[str], BeforeValidator(_load_json)]


class JsonColumn(Generic[T]):
    """A JSON column as ``T``'s JSON values: each distinct text decoded and validated once per process.

    The value is what ``T`` would write (``dump_python(mode="json")``, defaults filled in), so
    a ``PlainPage`` answers it as it is and a model validates it again.

    Both engines give a JSON column as text, and a few hundred distinct accessory sets
    or checklists cover a whole inventory, so one decoder per column serves every page.
    Keyed by the text itself, a value is never stale: a changed row is a new text. The
    values are shared between requests: treat them as read-only.
    """

    def __init__(self, adapter: TypeAdapter[T], max_entries: int = 4096) -> None:
        self._adapter = adapter
        self._max_entries = max_entries
        self._decoded: dict[str | bytes, Any] = {}

    def __call__(self, text: str | bytes | None) -> Any:
        if text is None:
            return None
        value = self._decoded.get(text)
        if value is None:
            value = self._adapter.dump_python(self._adapter.validate_json(text), mode="json")
            if len(self._decoded) >= self._max_entries:
                # NOTE: a bound, not an LRU: past it, start again (distinct texts are few).
                self._decoded.clear()
            self._decoded[text] = value
        return value


# The patterns publish the same rules in the OpenAPI schema: one line, or several (tab and newline allowed).
ONE_LINE = "^[^\\x00-\\x1F\\x7F-\\x9F\\u2028\\u2029]*$"
NO_CONTROL_CHARACTERS = r"^[^\x00-\x08\x0B-\x1F\x7F-\x9F]*$"
CleanStr = Annotated[
    str,
    StringConstraints(strip_whitespace=True),
    BeforeValidator(_one_line),
    Field(json_schema_extra={"pattern": ONE_LINE}),
]
CleanText = Annotated[
    str,
    StringConstraints(strip_whitespace=True),
    BeforeValidator(_no_control_characters),
    Field(json_schema_extra={"pattern": NO_CONTROL_CHARACTERS}),
]


def published_pattern(pattern: str) -> Any:
    """A CleanStr's own pattern: enforced, and published in place of the one-line rule (which it implies)."""
    return Field(pattern=pattern, json_schema_extra={"pattern": pattern})


# NOTE: each length is its column's (tests/unit/test_schema_lengths.py), so PostgreSQL never truncates.
Name = Annotated[CleanStr, StringConstraints(min_length=1, max_length=200)]
OptionalName = Annotated[CleanStr, StringConstraints(max_length=200)]
PlaceName = Annotated[CleanStr, StringConstraints(max_length=100)]
ShortText = Annotated[CleanStr, StringConstraints(max_length=300)]
LongText = Annotated[CleanText, StringConstraints(max_length=4000)]

# An id in a request body; the bound is published with it.
Id = Annotated[int, Ge(-MAX_ID), Le(MAX_ID)]
# A date in a request: ISO text within the programme's calendar (the pattern publishes both rules).
Date = Annotated[
    dt.date,
    BeforeValidator(_iso_date),
    AfterValidator(_within_calendar),
    PublishedPattern(DATE_PATTERN),
]
# A local time of day; published as text HH:MM by ``openapi.TimeOfDaySchema``.
TimeOfDay = Annotated[dt.time, BeforeValidator(_time_of_day)]


def _whole(value: Any) -> Any:
    if type(value) is float and value.is_integer():
        return int(value)
    if type(value) is list:
        return [_whole(item) for item in value]
    return value


class In(BaseModel):
    """Input: unknown fields are an error, so a typo never passes silently.

    Strict: a JSON value has the type the schema publishes ("5" is not a number, 1 is
    not true). The pages' forms send text, and ``web.forms.parse_form`` reads them leniently.
    """

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, strict=True)

    @model_validator(mode="before")
    @classmethod
    def _whole_numbers_are_integers(cls, data: Any) -> Any:
        """JSON Schema counts ``1901.0`` as an integer, so a client may send it for one; a
        float field takes the int as well. Strings and booleans stay refused."""
        if isinstance(data, dict):
            return {key: _whole(value) for key, value in data.items()}
        return data

    def changes(self, nullable: Iterable[str] = ()) -> dict[str, Any]:
        """The fields a PATCH sent; null only where the record may hold no value (422 otherwise)."""
        sent = self.model_dump(exclude_unset=True)
        allowed = set(nullable)
        for name, value in sent.items():
            if value is None and name not in allowed:
                raise InvalidInput(name, N_("must not be null"))
        return sent


class Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int
    limit: int
    offset: int


class PlainPage(Page[Any]):
    """A page of an API list whose items are already their model's JSON, as plain values.

    Validating a page's 50 rows with their output model and dumping them again was about a
    third of an uncached list request's CPU. The busiest lists (cohorts, tablets, loans)
    make each row's fields from the database's row and answer them as they are, encoded
    once (``model_json``). The same rows validated by the model give the same JSON
    (``tests/test_plain_pages.py``); the web pages validate them (``as_models``).
    Made with ``model_construct``: nothing here is validated.
    """


def as_models(
    page_of: Callable[P, Awaitable[PlainPage]], adapter: TypeAdapter[list[T]]
) -> Callable[P, Awaitable[Page[T]]]:
    """``page_of`` with its items as models: for the pages and every caller but the API's answer."""

    async def listed(*args: P.args, **kwargs: P.kwargs) -> Page[T]:
        page = await page_of(*args, **kwargs)
        return Page[Any].model_construct(
            items=adapter.validate_python(page.items), total=page.total, limit=page.limit, offset=page.offset
        )

    listed.__doc__ = f"{page_of.__name__} with its items as models."
    return listed
