"""The one rule that keeps a CSV cell from running as a spreadsheet formula."""

import csv
import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from digiystava.spreadsheets import csv_bytes, restore_cell, safe_cell, spreadsheet, xlsx_bytes
from tests.excel import finnish_excel_rows, xlsx_rows


@pytest.mark.parametrize(
    "value, cell",
    [
        ("=SUM(A1)", "'=SUM(A1)"),  # a formula
        ("+1", "'+1"),  # a plus starts a formula too
        ("-2", "'-2"),  # so does a minus
        ("@x", "'@x"),  # and an at sign (Lotus-style functions)
        ("\tx", "'\tx"),  # a leading tab
        ("ABC123", "ABC123"),  # ordinary text stays
        (3, "3"),  # numbers become text
        (None, ""),  # nothing is an empty cell
        (True, "yes"),  # booleans read as words
    ],
)
def test_safe_cell(value, cell):
    assert safe_cell(value) == cell


@pytest.mark.parametrize("text", ['=HYPERLINK("x")', "+358 40 123", "'quoted", "plain"])
def test_restore_undoes_safe_cell(text):
    assert restore_cell(safe_cell(text)) == text


def test_csv_bytes_has_a_bom_semicolons_and_every_cell_made_safe():
    data = csv_bytes([["name", "model", "hours"], ["Äiti", "=cmd|' /C calc'!A0", 3.5]])
    assert data.startswith("\ufeff".encode())
    assert finnish_excel_rows(data) == [["name", "model", "hours"], ["Äiti", "'=cmd|' /C calc'!A0", "3,5"]]


def test_comma_csv_for_scripts_keeps_decimal_points():
    data = csv_bytes([["name", "hours"], ["Äiti", 3.5], ["=x", 2]], separator="comma")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows == [["name", "hours"], ["Äiti", "3.5"], ["'=x", "2"]]


def test_xlsx_keeps_text_as_text_and_numbers_and_dates_typed():
    data = xlsx_bytes(
        [
            ["name", "sim_number", "hours", "due"],
            ['=HYPERLINK("x")', "+358 40 123", 3.5, dt.date(2026, 12, 7)],
            ["a\x00b", None, True, 1],
        ]
    )
    rows = xlsx_rows(data)  # fails on any formula cell
    assert rows == [
        ["name", "sim_number", "hours", "due"],
        ['=HYPERLINK("x")', "+358 40 123", 3.5, dt.datetime(2026, 12, 7)],
        ["ab", None, "yes", 1],
    ]
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    assert sheet["A2"].quotePrefix and sheet["B2"].quotePrefix and not sheet["A1"].quotePrefix
    assert sheet.freeze_panes == "A2"


def test_spreadsheet_answers_the_media_type():
    assert spreadsheet([["a"]], "csv")[1] == "text/csv"  # the app adds "; charset=utf-8"
    content, media_type = spreadsheet([["a"]], "xlsx")
    assert media_type.endswith("spreadsheetml.sheet") and content.startswith(b"PK")
