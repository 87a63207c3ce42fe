"""An A4 sheet of QR asset labels, 3 x 8 labels of 70 x 37 mm (the common office label sheet).

Each QR code holds the address the app gives (the tablet's page), so scanning a label opens
that tablet. The code is drawn as vector squares: it stays sharp at any printer resolution.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import qrcode
from qrcode.constants import ERROR_CORRECT_M
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from digiystava.i18n import N_, translate
from pdf_templates.styles import FONT, FONT_BOLD, PDF_WRITE_LOCK, drawing_canvas, plain_text

COLUMNS, ROWS = 3, 8
LABEL_W, LABEL_H = 70 * mm, 37 * mm
# NOTE: 8 x 37 mm = 296 mm, so the sheet keeps half a millimetre at top and bottom.
TOP = (A4[1] - ROWS * LABEL_H) / 2
LEFT = (A4[0] - COLUMNS * LABEL_W) / 2
PADDING = 3 * mm
QR_SIZE = 29 * mm
LABELS_TITLE = N_("Digiystävä tablet labels")
LABELS_SUBJECT = N_("QR asset labels of {count} tablets, {columns} x {rows} on an A4 sheet (70 x 37 mm)")
NO_TABLETS = N_("No tablets")


@dataclass(frozen=True)
class TabletLabel:
    """One tablet's label: the address its QR code holds and what is printed beside it."""

    address: str
    asset_tag: str
    model: str
    serial_number: str


def _dark_runs(data: str) -> tuple[int, bytes]:
    """The code's size in modules, and its dark modules as (row, first column, length) runs along each row."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0)
    code.add_data(data)
    code.make(fit=True)
    matrix = code.get_matrix()
    runs = bytearray()
    for r, line in enumerate(matrix):
        c = 0
        while c < len(line):
            if line[c]:
                start = c
                while c < len(line) and line[c]:
                    c += 1
                runs += bytes((r, start, c - start))  # NOTE: at most 177 modules a side: each fits a byte
            c += 1
    return len(matrix), bytes(runs)


# A tablet's address is public and its label is printed again and again (a delivery's sheet, a
# reprint): its code is kept, about 0.6 kB each. Other codes (a feedback card's one-time key) are not.
_kept_runs = lru_cache(maxsize=5000)(_dark_runs)


def draw_qr(canvas: Canvas, data: str, x: float, y: float, size: float, *, keep: bool = False) -> None:
    """The code as filled rectangles, one per run of dark modules: sharp at any resolution, no seams between modules."""
    n, runs = (_kept_runs if keep else _dark_runs)(data)
    cell = size / n
    path = canvas.beginPath()
    for i in range(0, len(runs), 3):
        r, c, length = runs[i], runs[i + 1], runs[i + 2]
        path.rect(x + c * cell, y + size - (r + 1) * cell, length * cell, cell)
    canvas.drawPath(path, stroke=0, fill=1)


def _fit(text: str, font: str, size: float, width: float) -> str:
    text = plain_text(text)
    while text and pdfmetrics.stringWidth(text, font, size) > width:
        text = text[:-2] + "…"
    return text


def label_sheet(labels: Sequence[TabletLabel], lang: str = "fi") -> bytes:
    """The labels in the given order, 24 to a page; a page that says so when there are none."""
    out = io.BytesIO()
    canvas = drawing_canvas(
        out,
        title=translate(lang, LABELS_TITLE),
        lang=lang,
        subject=translate(lang, LABELS_SUBJECT).format(count=len(labels), columns=COLUMNS, rows=ROWS),
    )
    per_page = COLUMNS * ROWS
    for index, label in enumerate(labels):
        if index and index % per_page == 0:
            canvas.showPage()
        slot = index % per_page
        col, row = slot % COLUMNS, slot // COLUMNS
        x = LEFT + col * LABEL_W
        y = A4[1] - TOP - (row + 1) * LABEL_H
        draw_qr(canvas, label.address, x + PADDING, y + (LABEL_H - QR_SIZE) / 2, QR_SIZE, keep=True)
        text_x = x + PADDING + QR_SIZE + 3 * mm
        width = LABEL_W - (text_x - x) - PADDING
        # NOTE: a tag the tablet came with may be longer than DY-000123: smaller type before any cut.
        size = 13.0
        while size > 6.5 and pdfmetrics.stringWidth(label.asset_tag, FONT_BOLD, size) > width:
            size -= 0.5
        canvas.setFont(FONT_BOLD, size)
        canvas.drawString(text_x, y + LABEL_H - 11 * mm, _fit(label.asset_tag, FONT_BOLD, size, width))
        canvas.setFont(FONT, 7.5)
        # NOTE: the model may wrap to two lines: "Samsung Galaxy Tab A9+" loses its "A9+" otherwise.
        model = simpleSplit(plain_text(label.model), FONT, 7.5, width)[:2]
        lines = [*model, f"S/N {label.serial_number}", "Digiystävä", "09 310 10011"]
        for n, line in enumerate(lines):
            canvas.drawString(text_x, y + LABEL_H - 17 * mm - n * 3.6 * mm, _fit(line, FONT, 7.5, width))
    if not labels:
        canvas.setFont(FONT, 12)
        canvas.drawString(20 * mm, A4[1] - 30 * mm, translate(lang, NO_TABLETS))
    canvas.showPage()
    with PDF_WRITE_LOCK:
        canvas.save()
    return out.getvalue()
