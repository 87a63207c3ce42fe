"""Finnish personal identity codes (henkilötunnus) kept out of free text.

The course needs no identity code, and one typed into a name, a phone box or a note
would be stored, printed and exported with it. A code is DDMMYY, a century sign, a
three-digit individual number and a check character (the nine digits modulo 31).
Century signs: ``+`` 1800s; ``-``, and since 2023 also ``Y X W V U``, 1900s; ``A``, and
since 2023 also ``B C D E F``, 2000s. Only a code whose date and check character are
right counts, so ordinary numbers (phone numbers, dates) are not taken for one.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from pydantic import AfterValidator

CHECK_CHARACTERS = "0123456789ABCDEFHJKLMNPRSTUVWXY"
CENTURIES = {"+": 1800, **dict.fromkeys("-YXWVU", 1900), **dict.fromkeys("ABCDEF", 2000)}
MESSAGE = "must not contain a personal identity code (henkilötunnus); the tracker does not store them"

_CANDIDATE = re.compile(r"(?<![0-9A-Za-z])(\d{2})(\d{2})(\d{2})([-+A-FU-Ya-fu-y])(\d{3})([0-9A-Za-z])(?![0-9A-Za-z])")


def _is_valid(day: str, month: str, year: str, sign: str, number: str, check: str) -> bool:
    try:
        dt.date(CENTURIES[sign.upper()] + int(year), int(month), int(day))
    except (KeyError, ValueError):
        return False
    return CHECK_CHARACTERS[int(day + month + year + number) % 31] == check.upper()


def find_identity_code(text: str) -> str | None:
    """The first valid identity code in ``text``, or None."""
    for match in _CANDIDATE.finditer(text or ""):
        if _is_valid(*match.groups()):
            return match.group(0)
    return None


def no_identity_code(value: Any) -> Any:
    """A validator for a text (or a list of texts): refuses one that holds an identity code."""
    texts = value if isinstance(value, (list, tuple)) else [value]
    if any(isinstance(text, str) and find_identity_code(text) for text in texts):
        raise ValueError(MESSAGE)
    return value


# Add to a text field's type: Annotated[CleanStr, ..., NoIdentityCode].
NoIdentityCode = AfterValidator(no_identity_code)
