"""CSV for spreadsheets: the one rule that keeps a cell from running as a formula.

Excel and LibreOffice run a cell starting with ``= + - @`` (or a tab or
carriage return) as a formula, so a senior named ``=HYPERLINK(...)`` would
become a link. Every CSV the tracker writes goes through ``safe_cell``.
"""

from __future__ import annotations

import csv
import io
from typing import Any, Iterable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> str:
    """The cell as text; one that starts like a formula gets a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def restore_cell(text: str) -> str:
    """Undo ``safe_cell`` for a file read back in (an import of an earlier export)."""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_STARTS) else text


def csv_text(rows: Iterable[Iterable[Any]]) -> str:
    """Rows as CSV text, every cell made safe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    return buffer.getvalue()


def csv_bytes(rows: Iterable[Iterable[Any]]) -> bytes:
    """UTF-8 with a byte-order mark, so Excel shows ä and ö right."""
    return ("\ufeff" + csv_text(rows)).encode("utf-8")
