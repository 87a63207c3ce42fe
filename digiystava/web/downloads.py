"""Documents sent as files (PDF, CSV, XLSX, ZIP, JSON, calendars): named for saving, never kept by a cache."""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any
from urllib.parse import quote

from litestar import Response

from digiystava.spreadsheets import CSV_MEDIA_TYPE, XLSX_MEDIA_TYPE

PDF = "application/pdf"
ZIP = "application/zip"
# NOTE: Litestar adds "; charset=utf-8" to every text/ type; written here too, it came twice.
ICS = "text/calendar"
MEDIA_TYPES = {
    ".pdf": PDF,
    ".zip": ZIP,
    ".ics": ICS,
    ".csv": CSV_MEDIA_TYPE,
    ".xlsx": XLSX_MEDIA_TYPE,
    ".json": "application/json",
}
_SAFE = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.")


def download(content: Any, filename: str, media_type: str | None = None, *, save: bool | None = None) -> Response:
    """``content`` sent as the file ``filename``, its media type by default from the name's ending.

    PDFs open in the browser, ready to print; anything else is saved (``save`` says otherwise).
    A name beyond plain ASCII letters travels as RFC 5987 ``filename*`` beside an ASCII ``filename``.
    """
    suffix = PurePosixPath(filename).suffix.lower()
    media_type = media_type or MEDIA_TYPES[suffix]
    if save is None:
        save = media_type != PDF
    return Response(
        content,
        media_type=media_type,
        headers={"Content-Disposition": disposition(filename, save), "Cache-Control": "no-store"},
    )


def disposition(filename: str, save: bool) -> str:
    kind = "attachment" if save else "inline"
    path = PurePosixPath(filename)
    stem = "".join(c if c in _SAFE else "_" for c in path.stem)[:80]
    plain = stem + "".join(c if c in _SAFE else "_" for c in path.suffix)
    if plain == filename:
        return f'{kind}; filename="{plain}"'
    return f"{kind}; filename=\"{plain}\"; filename*=UTF-8''{quote(filename, safe='')}"
