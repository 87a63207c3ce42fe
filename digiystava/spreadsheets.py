"""Spreadsheet files the tracker writes: CSV as Finnish Excel opens it, and .xlsx.

Formula safety: Excel and LibreOffice run a CSV cell starting with ``= + - @`` (or a
tab or carriage return) as a formula, so a senior named ``=HYPERLINK(...)`` would
become a link. Every text cell of a CSV goes through ``safe_cell`` (a leading
apostrophe, undone by ``restore_cell`` when the file comes back as an import). In an
.xlsx file every text is written as a text cell, never a formula, and one that starts
like a formula is marked "quote prefix", as Excel marks a cell typed as ``'=...``: it
shows and reads back exactly as it was.

CSV dialects (``separator``):
- ``semicolon`` (the default for downloads): what Excel set to Finnish or Swedish
  opens with a double click: ``;`` between cells, decimal commas (``3,5``), UTF-8
  with a byte-order mark, CRLF line ends.
- ``comma``: for scripts: ``,`` between cells, decimal points (``3.5``), UTF-8 with
  a byte-order mark (``utf-8-sig`` reads it), CRLF line ends.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from typing import Any, Literal

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# NOTE: Litestar adds "; charset=utf-8" to every text/ type; written here too, it came twice.
CSV_MEDIA_TYPE = "text/csv"
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Separator = Literal["semicolon", "comma"]
SpreadsheetFormat = Literal["csv", "xlsx"]
DELIMITERS = {"semicolon": ";", "comma": ","}


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


def _csv_cell(value: Any, separator: Separator) -> str:
    if isinstance(value, float):
        # NOTE: numbers are the tracker's own, never a formula; Finnish Excel reads "3,5" as a number and "3.5" as a
        # date.
        text = f"{value:.12g}"
        return text.replace(".", ",") if separator == "semicolon" else text
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return safe_cell(value)


def csv_text(rows: Iterable[Iterable[Any]], separator: Separator = "semicolon") -> str:
    """Rows as CSV text, every cell made safe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=DELIMITERS[separator], lineterminator="\r\n")
    for row in rows:
        writer.writerow([_csv_cell(v, separator) for v in row])
    return buffer.getvalue()


def csv_bytes(rows: Iterable[Iterable[Any]], separator: Separator = "semicolon") -> bytes:
    """UTF-8 with a byte-order mark, so Excel shows ä and ö right."""
    return ("\ufeff" + csv_text(rows, separator)).encode("utf-8")


def xlsx_bytes(rows: Iterable[Iterable[Any]], sheet: str = "Digiystävä") -> bytes:
    """One worksheet, the first row bold and frozen; numbers and dates typed, every text a text cell."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    # NOTE: Excel allows 31 characters and no []:*?/\ in a sheet's name.
    ws = book.create_sheet(title="".join(c for c in sheet if c not in "[]:*?/\\")[:31] or "Sheet1")
    ws.freeze_panes = "A2"
    bold = Font(bold=True)
    widths: dict[int, int] = {}
    cells_rows: list[list[Any]] = []
    for number, row in enumerate(rows):
        cells = []
        for column, value in enumerate(row):
            cell = WriteOnlyCell(ws, value=_xlsx_value(value))
            if isinstance(cell.value, str):
                cell.data_type = "s"  # never a formula, whatever the text starts with
                cell.quotePrefix = cell.value.startswith(FORMULA_STARTS)
            elif isinstance(cell.value, dt.date):
                cell.number_format = "yyyy-mm-dd"
            if number == 0:
                cell.font = bold
            widths[column] = max(widths.get(column, 0), min(len(str(cell.value or "")), 60))
            cells.append(cell)
        cells_rows.append(cells)
    from openpyxl.utils import get_column_letter

    for column, width in widths.items():
        ws.column_dimensions[get_column_letter(column + 1)].width = max(width + 2, 8)
    for cells in cells_rows:
        ws.append(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _xlsx_value(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float, dt.date)):
        return value
    # NOTE: XML 1.0 cannot hold most control characters; they would make the file unreadable.
    return "".join(c for c in str(value) if c >= " " or c in "\t\n\r")


def spreadsheet(
    rows: Iterable[Iterable[Any]], fmt: SpreadsheetFormat, separator: Separator = "semicolon", sheet: str = "Digiystävä"
) -> tuple[bytes, str]:
    """The rows as a file of the asked format, with its media type."""
    if fmt == "xlsx":
        return xlsx_bytes(rows, sheet), XLSX_MEDIA_TYPE
    return csv_bytes(rows, separator), CSV_MEDIA_TYPE
