"""Reading the tracker's spreadsheet files as Excel set to Finnish would, for the tests.

Finnish (and Swedish) Excel opens a double-clicked CSV as UTF-8 only when it starts
with a byte-order mark, and splits its cells on semicolons; an .xlsx is read with
openpyxl, and no cell of it may be a formula.
"""

from __future__ import annotations

import csv
import io
from typing import Any


class FinnishExcel(csv.Dialect):
    """The CSV dialect of Excel with Finnish regional settings: semicolons, double quotes, CRLF."""

    delimiter = ";"
    quotechar = '"'
    doublequote = True
    skipinitialspace = False
    lineterminator = "\r\n"
    quoting = csv.QUOTE_MINIMAL


def finnish_excel_rows(content: bytes) -> list[list[str]]:
    """The rows Finnish Excel shows for a CSV file; the file must announce UTF-8 with a BOM."""
    assert content.startswith(b"\xef\xbb\xbf"), "without a byte-order mark Excel reads UTF-8 as Windows-1252 (mojibake)"
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""), dialect=FinnishExcel))


def finnish_excel_dicts(content: bytes) -> list[dict[str, str]]:
    header, *rows = finnish_excel_rows(content)
    return [dict(zip(header, row)) for row in rows]


def xlsx_rows(content: bytes) -> list[list[Any]]:
    """The first sheet's values; fails when any cell is a formula."""
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(content))
    sheet = book.worksheets[0]
    rows = []
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f", f"{cell.coordinate} is a formula: {cell.value!r}"
        rows.append([cell.value for cell in row])
    return rows
