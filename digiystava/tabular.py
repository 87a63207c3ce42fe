"""Reading an uploaded spreadsheet: the one reader every import shares.

A file is an Excel workbook (.xlsx, its first sheet) or CSV: separated by commas,
semicolons (what Finnish and Swedish Excel saves) or tabs; UTF-8 with or without a
byte-order mark, or Windows-1252 / Latin-1 as older Excel saves "CSV". The reader
finds each column by its header, whatever its case, spacing or language (a domain
lists its columns with their other names: Finnish, Swedish, other systems' exports),
reports missing and repeated columns, skips blank rows, undoes the formula-safe
apostrophe of the tracker's own exports, and numbers rows as the spreadsheet shows
them (the header is row 1). A domain keeps only its own column rules: what a cell
must hold, what a row means.

Problems are ``FieldProblem("row 3.Sarjanumero", ...)``: the column as the file's
header names it, so the person who made the file finds the cell.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from digiystava.errors import FieldProblem, InvalidRows
from digiystava.i18n import N_
from digiystava.spreadsheets import restore_cell

MAX_PROBLEMS = 200  # enough to fix a file; a wholly wrong file should not answer megabytes
# NOTE: an .xlsx is a zip; a small upload could unpack to gigabytes. Real sheets of
# 20,000 rows unpack to a few megabytes.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
XLSX_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True)
class Column:
    """A column an import knows: its name (as the tracker's export writes it) and other headers that mean it."""

    name: str
    aliases: tuple[str, ...] = ()

    def keys(self) -> set[str]:
        return {header_key(self.name), *(header_key(a) for a in self.aliases)}


def header_key(text: str) -> str:
    """'Asset Tag', 'asset_tag' and ' ASSET-tag ' are the same column; letters keep their accents."""
    return re.sub(r"[\W_]+", "_", text.replace("\ufeff", "").strip().casefold()).strip("_")


@dataclass
class Table:
    """The rows of a file, each a dict of column name -> cell text (stripped; empty when the column is absent)."""

    headers: dict[str, str]  # column name -> the file's own header text
    unknown: list[str]  # headers the import does not know, as written
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)

    def has(self, name: str) -> bool:
        return name in self.headers

    def place(self, number: int, name: str | None = None) -> str:
        """'row 3.Sarjanumero': where a problem is, in the file's own words."""
        if name is None:
            return f"row {number}"
        return f"row {number}.{self.headers.get(name, name)}"


class Problems:
    """Every problem of a file, in row order; raising them refuses the whole file."""

    def __init__(self, table: Table | None = None) -> None:
        self.table = table
        self.items: list[tuple[int, FieldProblem]] = []

    def add(self, number: int, name: str | None, message: str) -> None:
        place = self.table.place(number, name) if self.table else (f"row {number}.{name}" if name else f"row {number}")
        self.items.append((number, FieldProblem(place, message)))

    def __bool__(self) -> bool:
        return bool(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def raise_if_any(self, extra: dict[str, Any] | None = None) -> None:
        if not self.items:
            return
        ordered = [p for _n, p in sorted(self.items, key=lambda item: item[0])]
        raise InvalidRows(
            N_("{count} problems; nothing was imported.", count=len(ordered)),
            errors=ordered[:MAX_PROBLEMS],
            extra=extra,
        )


def accepted_columns(columns: Sequence[Column], required: Iterable[str] = ()) -> list[dict[str, Any]]:
    """The columns an import reads, for its answers: name, whether required, other headers that mean it."""
    needed = set(required)
    return [{"name": c.name, "required": c.name in needed, "also": list(c.aliases)} for c in columns]


def read_table(
    content: bytes,
    columns: Sequence[Column],
    *,
    required: Iterable[str] = (),
    max_rows: int,
    too_many: str | None = None,
    unknown: Literal["keep", "refuse"] = "keep",
) -> Table:
    """Read and check the header; return every non-blank row. Raises InvalidRows for a file it cannot use.

    Headers the import does not know are listed in ``Table.unknown`` (for a note), or refuse the
    file with ``unknown="refuse"``.
    """
    required = list(required)
    extra = {"columns": accepted_columns(columns, required)}
    records = iter(_records(content))
    number, header = 0, None
    for number, cells in records:  # noqa: B007 - the header's row number names its problems below
        if any(c.strip() for c in cells):
            header = cells
            break
    if header is None:
        raise InvalidRows(N_("The file is empty."), errors=[FieldProblem("row 1", N_("no header row"))], extra=extra)
    by_key = {key: column.name for column in columns for key in column.keys()}
    headers: dict[str, str] = {}
    index: dict[str, int] = {}
    strangers: list[str] = []
    problems: list[FieldProblem] = []
    for position, text in enumerate(header):
        text = text.replace("\ufeff", "").strip()
        if not text:
            continue
        name = by_key.get(header_key(text))
        if name is None:
            strangers.append(text)
        elif name in headers:
            problems.append(FieldProblem(f"row {number}.{text}", N_("the same column as {other}", other=headers[name])))
        else:
            headers[name], index[name] = text, position
    if unknown == "refuse":
        problems += [FieldProblem(f"row {number}.{text}", N_("unknown column")) for text in strangers]
    missing = [name for name in required if name not in headers]
    problems += [FieldProblem(f"row {number}.{name}", N_("column missing")) for name in missing]
    if missing:
        raise InvalidRows(
            N_("The header row lacks: {columns}.", columns=", ".join(missing)), errors=problems, extra=extra
        )
    if problems:
        raise InvalidRows(N_("The header row does not match."), errors=problems, extra=extra)
    table = Table(headers=headers, unknown=strangers)
    for number, cells in records:
        if not any(c.strip() for c in cells):
            continue  # blank lines that spreadsheets leave at the end
        if len(table.rows) >= max_rows:
            raise InvalidRows(
                too_many or N_("At most {count} rows per file.", count=max_rows),
                errors=[FieldProblem(f"row {number}", N_("too many rows"))],
                extra=extra,
            )
        row = {name: restore_cell(cells[i].strip()) if i < len(cells) else "" for name, i in index.items()}
        table.rows.append((number, row))
    return table


def _records(content: bytes) -> Iterator[tuple[int, list[str]]]:
    """(row number, cells) of the file's first sheet, numbered as a spreadsheet shows them."""
    if content.startswith(XLSX_MAGIC):
        yield from _xlsx_records(content)
        return
    text = decode(content)
    lines = text.split("\n", 1)
    if re.fullmatch(r"sep=.\r?", lines[0]):
        # NOTE: Excel's own hint line ("sep=;") is not a row of the sheet.
        delimiter, text = lines[0][4], (lines[1] if len(lines) > 1 else "")
    else:
        delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        yield from enumerate(reader, start=1)
    except csv.Error:
        raise InvalidRows(
            N_("The file is not a readable CSV or Excel file."),
            errors=[FieldProblem("file", N_("save the file as CSV or Excel workbook (.xlsx)"))],
        ) from None


def decode(content: bytes) -> str:
    """UTF-8 (with or without a byte-order mark), else Windows-1252, else Latin-1."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    # NOTE: Latin-1 decodes any bytes: the five bytes cp1252 leaves undefined are control characters there.
    return content.decode("latin-1")


def sniff_delimiter(text: str) -> str:
    """The separator the header line uses most, outside quotes: ';', ',' or a tab (',' when none)."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    outside = re.sub(r'"[^"]*"', "", first)
    counts = {d: outside.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _xlsx_records(content: bytes) -> Iterator[tuple[int, list[str]]]:
    unreadable = InvalidRows(
        N_("The file is not a readable CSV or Excel file."),
        errors=[FieldProblem("file", N_("save the file as CSV or Excel workbook (.xlsx)"))],
    )
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(item.file_size for item in archive.infolist())
    except zipfile.BadZipFile:
        raise unreadable from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise InvalidRows(
            N_("The workbook is too large; save the sheet as CSV."), errors=[FieldProblem("file", N_("too large"))]
        )
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheet = book.worksheets[0]
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, [cell_text(v) for v in values]
        book.close()
    except InvalidRows:
        raise
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds for a damaged workbook
        raise unreadable from None


def cell_text(value: Any) -> str:
    """A workbook cell as the text a CSV would hold: 12.0 -> '12', a date -> '2026-12-07'."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:.12g}"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat()
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value)
