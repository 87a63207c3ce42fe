"""Building blocks shared by every schema: clean strings, strict models, pages."""

from __future__ import annotations

import json
import unicodedata
from typing import Annotated, Any, Generic, Iterable, TypeVar

from litestar.params import QueryParameter
from pydantic import AfterValidator, BeforeValidator, BaseModel, ConfigDict, Field, StringConstraints

from digiystava.i18n import N_

T = TypeVar("T")


def _no_control_characters(value: str) -> str:
    """Reject NUL and other control characters; they break CSV, PDF and terminals."""
    for char in value:
        if unicodedata.category(char) == "Cc" and char not in "\n\t":
            raise ValueError("must not contain control characters")
    return value


def plain_message(error: dict[str, Any]) -> str:
    """A validation error of a form or a file's row in plain words (marked for the pages' catalogs)."""
    kind = error.get("type", "")
    context = error.get("ctx") or {}
    if kind in ("missing", "string_too_short") and context.get("min_length", 1) <= 1:
        return N_("Fill in this field.")
    if kind == "string_too_short":
        return N_("Use at least {num} characters.", num=context.get("min_length", 1))
    if kind == "string_too_long":
        return N_("Use at most {num} characters.", num=context.get("max_length", 0))
    if kind in ("literal_error", "enum"):
        return N_("Choose one of the options.")
    if kind.startswith(("int_", "float_", "decimal_")) or kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        return N_("Enter a number in the allowed range.")
    if kind.startswith(("date_", "time_", "datetime_")):
        return N_("Enter a valid date or time.")
    if kind == "string_pattern_mismatch":
        return N_("Use only the allowed characters.")
    if kind == "value_error" and "control characters" in error.get("msg", ""):
        return N_("Remove the invisible control characters.")
    if kind == "value_error" and "identity code" in error.get("msg", ""):
        return N_("Remove the personal identity code (henkilötunnus): the course does not need it, and it must not be stored here.")
    if kind == "value_error" and "in the future" in error.get("msg", ""):
        return N_("This date is still to come: record it once it has happened.")
    if kind == "extra_forbidden":
        return N_("This field is not expected here.")
    return N_("Check this value.")


def _load_json(value: Any) -> Any:
    """JSON columns arrive as text from some engines; decode them for the output models."""
    return json.loads(value) if isinstance(value, (str, bytes)) else value


# A JSON column read back as a list of strings, on every engine.
JsonStrList = Annotated[list[str], BeforeValidator(_load_json)]

# The pattern publishes the same rule in the OpenAPI schema (tab and newline allowed).
NO_CONTROL_CHARACTERS = r"^[^\x00-\x08\x0B-\x1F\x7F-\x9F]*$"
CleanStr = Annotated[
    str, StringConstraints(strip_whitespace=True), AfterValidator(_no_control_characters), Field(json_schema_extra={"pattern": NO_CONTROL_CHARACTERS})
]
Name = Annotated[CleanStr, StringConstraints(min_length=1, max_length=200)]
ShortText = Annotated[CleanStr, StringConstraints(max_length=300)]
LongText = Annotated[CleanStr, StringConstraints(max_length=4000)]


class In(BaseModel):
    """Input: unknown fields are an error, so a typo never passes silently."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    def changes(self, nullable: Iterable[str] = ()) -> dict[str, Any]:
        """The fields a PATCH sent; null only where the record may hold no value (422 otherwise)."""
        from digiystava.errors import InvalidInput
        from digiystava.i18n import N_

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


# Query parameters are validated by Litestar itself, hence its Parameter.
Limit = Annotated[int, QueryParameter(ge=1, le=500, description="page size, 1-500")]
Offset = Annotated[int, QueryParameter(ge=0, description="rows to skip")]
