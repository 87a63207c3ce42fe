"""An A4 sheet of QR asset labels, 3 x 8 labels of 70 x 37 mm (the common office label sheet).

Each QR code holds the tablet page's address, so scanning a label opens that tablet.
The code is drawn as vector squares: it stays sharp at any printer resolution.
"""

from __future__ import annotations

import io
from typing import Any

import anyio
import qrcode
from qrcode.constants import ERROR_CORRECT_M
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from cohorts.tables import Tablet
from digiystava.access import Principal, require
from digiystava.errors import InvalidInput
from digiystava.i18n import N_, translate
from pdf_templates.styles import FONT, FONT_BOLD, PDF_WRITE_LOCK, drawing_canvas, plain_text

COLUMNS, ROWS = 3, 8
LABEL_W, LABEL_H = 70 * mm, 37 * mm
# NOTE: 8 x 37 mm = 296 mm, so the sheet keeps half a millimetre at top and bottom.
TOP = (A4[1] - ROWS * LABEL_H) / 2
LEFT = (A4[0] - COLUMNS * LABEL_W) / 2
PADDING = 3 * mm
QR_SIZE = 29 * mm
MAX_LABELS = 5000
LABELS_TITLE = N_("Digiystävä tablet labels")
LABELS_SUBJECT = N_("QR asset labels of {count} tablets, {columns} x {rows} on an A4 sheet (70 x 37 mm)")
NO_TABLETS = N_("No tablets")


def tablet_url(base_url: str, tablet_id: int) -> str:
    return f"{base_url.rstrip('/')}/tablets/{tablet_id}"


def _draw_qr(canvas: Canvas, data: str, x: float, y: float, size: float) -> None:
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0)
    code.add_data(data)
    code.make(fit=True)
    matrix = code.get_matrix()
    cell = size / len(matrix)
    path = canvas.beginPath()
    for r, line in enumerate(matrix):
        for c, dark in enumerate(line):
            if dark:
                path.rect(x + c * cell, y + size - (r + 1) * cell, cell, cell)
    canvas.drawPath(path, stroke=0, fill=1)


def _fit(text: str, font: str, size: float, width: float) -> str:
    text = plain_text(text)
    while text and pdfmetrics.stringWidth(text, font, size) > width:
        text = text[:-2] + "…"
    return text


def render_labels(tablets: list[dict[str, Any]], base_url: str, lang: str = "fi") -> bytes:
    out = io.BytesIO()
    canvas = drawing_canvas(
        out,
        title=translate(lang, LABELS_TITLE),
        lang=lang,
        subject=translate(lang, LABELS_SUBJECT).format(count=len(tablets), columns=COLUMNS, rows=ROWS),
    )
    per_page = COLUMNS * ROWS
    for index, tablet in enumerate(tablets):
        if index and index % per_page == 0:
            canvas.showPage()
        slot = index % per_page
        col, row = slot % COLUMNS, slot // COLUMNS
        x = LEFT + col * LABEL_W
        y = A4[1] - TOP - (row + 1) * LABEL_H
        _draw_qr(canvas, tablet_url(base_url, tablet["id"]), x + PADDING, y + (LABEL_H - QR_SIZE) / 2, QR_SIZE)
        text_x = x + PADDING + QR_SIZE + 3 * mm
        width = LABEL_W - (text_x - x) - PADDING
        # NOTE: a tag the tablet came with may be longer than DY-000123: smaller type before any cut.
        size = 13.0
        while size > 6.5 and pdfmetrics.stringWidth(tablet["asset_tag"], FONT_BOLD, size) > width:
            size -= 0.5
        canvas.setFont(FONT_BOLD, size)
        canvas.drawString(text_x, y + LABEL_H - 11 * mm, _fit(tablet["asset_tag"], FONT_BOLD, size, width))
        canvas.setFont(FONT, 7.5)
        # NOTE: the model may wrap to two lines: "Samsung Galaxy Tab A9+" loses its "A9+" otherwise.
        model = simpleSplit(plain_text(tablet["model"]), FONT, 7.5, width)[:2]
        lines = [*model, f"S/N {tablet['serial_number']}", "Digiystävä", "09 310 10011"]
        for n, line in enumerate(lines):
            canvas.drawString(text_x, y + LABEL_H - 17 * mm - n * 3.6 * mm, _fit(line, FONT, 7.5, width))
    if not tablets:
        canvas.setFont(FONT, 12)
        canvas.drawString(20 * mm, A4[1] - 30 * mm, translate(lang, NO_TABLETS))
    canvas.showPage()
    with PDF_WRITE_LOCK:
        canvas.save()
    return out.getvalue()


def label_address(request_base_url: str) -> str:
    """Where the QR codes point: the configured public address, else the one the page was opened from."""
    from digiystava.settings import get_settings

    return get_settings().public_url or request_base_url


async def labels_pdf(
    principal: Principal | None,
    tablet_ids: list[int],
    base_url: str,
    lang: str = "fi",
    *,
    donation_id: int | None = None,
    status: str | None = None,
    donor: str | None = None,
) -> bytes:
    """Labels for the chosen tablets, or every tablet of a delivery or filter (all when none), in asset-tag order."""
    from cohorts.tables import Donation

    if principal is not None:
        require(principal, "tablets.manage")
    if len(tablet_ids) > MAX_LABELS:
        raise InvalidInput("tablet_id", N_("at most {count} labels at a time", count=MAX_LABELS))
    if donation_id is not None and not await Donation.exists().where(Donation.id == donation_id):
        raise InvalidInput("donation_id", N_("no donation with id {id}", id=donation_id))
    query = Tablet.select(Tablet.id, Tablet.asset_tag, Tablet.model, Tablet.serial_number).order_by(Tablet.asset_tag)
    if tablet_ids:
        query = query.where(Tablet.id.is_in(tablet_ids))
    if donation_id is not None:
        query = query.where(Tablet.donation == donation_id)
    if status:
        query = query.where(Tablet.status == status)
    if donor:
        query = query.where(Tablet.donor == donor)
    rows = await query
    if tablet_ids:
        missing = sorted(set(tablet_ids) - {r["id"] for r in rows})
        if missing and donation_id is None and not status and not donor:
            raise InvalidInput("tablet_id", N_("no tablet with id {id}", id=missing[0]))
    elif len(rows) > MAX_LABELS:
        rows = rows[:MAX_LABELS]
    return await anyio.to_thread.run_sync(render_labels, rows, base_url, lang)
