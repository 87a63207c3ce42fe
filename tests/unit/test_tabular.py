"""The one reader of uploaded spreadsheets: encodings, separators, headers in any language, row numbers."""

import io

import pytest
from openpyxl import Workbook

from digiystava.errors import InvalidRows
from digiystava.tabular import Column, Problems, cell_text, decode, header_key, read_table, sniff_delimiter

COLUMNS = (
    Column("serial_number", ("Serial", "Sarjanumero", "Serienummer")),
    Column("model", ("Malli", "Modell")),
    Column("notes", ("Lisätiedot",)),
)


def read(content: bytes, **options):
    return read_table(content, COLUMNS, required=("serial_number",), max_rows=options.pop("max_rows", 100), **options)


@pytest.mark.parametrize(
    "content",
    [
        "serial_number,model\nAB123,Tab Ä\n".encode(),  # UTF-8, commas
        "\ufeffserial_number;model\r\nAB123;Tab Ä\r\n".encode("utf-8"),  # Finnish Excel: BOM, semicolons
        "Sarjanumero;Malli\r\nAB123;Tab Ä\r\n".encode("cp1252"),  # older Excel: Windows-1252
        "Serienummer\tModell\nAB123\tTab Ä\n".encode("latin-1"),  # tab separated Latin-1
        "sep=;\r\nSerial;Model\r\nAB123;Tab Ä\r\n".encode(),  # Excel's separator hint line
        "\n\nSERIAL NUMBER , model\nAB123,Tab Ä\n\n\n".encode(),  # blank lines, odd spacing and case
    ],
)
def test_every_dialect_reads_the_same(content):
    table = read(content)
    assert [row for _n, row in table.rows] == [{"serial_number": "AB123", "model": "Tab Ä"}]


def test_rows_are_numbered_as_the_spreadsheet_shows_them():
    table = read(b'serial_number,notes\nA1,"two\nlines"\n\nA2,x\n')
    assert [n for n, _row in table.rows] == [2, 4]  # a quoted line break stays in its row; the blank row 3 is skipped
    problems = Problems(table)
    problems.add(4, "notes", "bad")
    with pytest.raises(InvalidRows) as caught:
        problems.raise_if_any()
    assert [(p.field, p.message) for p in caught.value.errors] == [("row 4.notes", "bad")]


def test_problems_name_the_column_as_the_file_does():
    table = read(b"Sarjanumero;Malli\nA1;x\n")
    assert table.place(2, "serial_number") == "row 2.Sarjanumero" and table.place(2, "notes") == "row 2.notes"


def test_the_formula_safe_apostrophe_is_undone():
    table = read(b"serial_number,notes\nA1,'+358 40 123\nA2,'plain\n")
    assert [row["notes"] for _n, row in table.rows] == ["+358 40 123", "'plain"]


def test_header_problems():
    with pytest.raises(InvalidRows) as missing:
        read(b"model\nx\n")
    assert [p.field for p in missing.value.errors] == ["row 1.serial_number"]
    assert missing.value.extra["columns"][0] == {
        "name": "serial_number",
        "required": True,
        "also": ["Serial", "Sarjanumero", "Serienummer"],
    }
    with pytest.raises(InvalidRows) as twice:
        read(b"serial_number;Sarjanumero\nx;y\n")
    assert [p.field for p in twice.value.errors] == ["row 1.Sarjanumero"]
    kept = read(b"serial_number,Category\nA1,Tablets\n")
    assert kept.unknown == ["Category"]
    with pytest.raises(InvalidRows) as refused:
        read(b"serial_number,Category\nA1,Tablets\n", unknown="refuse")
    assert [p.field for p in refused.value.errors] == ["row 1.Category"]
    with pytest.raises(InvalidRows) as empty:
        read(b"\n\n")
    assert empty.value.errors[0].field == "row 1"


def test_too_many_rows():
    with pytest.raises(InvalidRows) as caught:
        read(b"serial_number\n" + b"A\n" * 4, max_rows=3)
    assert caught.value.errors[0].field == "row 5"


def test_a_workbook_reads_like_its_csv():
    book = Workbook()
    sheet = book.active
    sheet.append(["Sarjanumero", "Malli", "Lisätiedot"])
    sheet.append([123456789, "iPad 9", None])
    sheet.append([None, None, None])
    sheet.append(["A2", "=1+1", 2.5])
    buffer = io.BytesIO()
    book.save(buffer)
    table = read(buffer.getvalue())
    # NOTE: a formula is read as the value Excel last computed, never as its text; a workbook Excel never saved has
    # none.
    assert table.rows == [
        (2, {"serial_number": "123456789", "model": "iPad 9", "notes": ""}),
        (4, {"serial_number": "A2", "model": "", "notes": "2.5"}),
    ]


def test_decode_and_sniff():
    assert decode("Ärrä".encode("cp1252")) == "Ärrä"
    assert decode(b"\x81x") == "\x81x"  # a byte Windows-1252 leaves undefined still decodes
    assert sniff_delimiter('"a;b",c,d\n') == ","  # a separator inside quotes does not count
    assert sniff_delimiter("a\tb\n") == "\t" and sniff_delimiter("single\n") == ","
    assert header_key(" Käyttö-järjestelmä ") == "käyttö_järjestelmä"
    assert cell_text(12.0) == "12" and cell_text(True) == "yes" and cell_text(None) == ""
