"""The one rule that keeps a CSV cell from running as a spreadsheet formula."""

import csv
import io

import pytest

from digiystava.spreadsheets import csv_bytes, restore_cell, safe_cell


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


@pytest.mark.parametrize("text", ["=HYPERLINK(\"x\")", "+358 40 123", "'quoted", "plain"])
def test_restore_undoes_safe_cell(text):
    assert restore_cell(safe_cell(text)) == text


def test_csv_bytes_has_a_bom_and_every_cell_made_safe():
    data = csv_bytes([["name", "model"], ["Äiti", "=cmd|' /C calc'!A0"]])
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows == [["name", "model"], ["Äiti", "'=cmd|' /C calc'!A0"]]
