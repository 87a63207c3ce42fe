"""Cards with a one-time link to the feedback form: six to an A4 sheet, to cut and hand out.

Each card carries a QR code for the tablet's camera and the same address in print, in
large type. The card names the course only, never a senior.
"""

from __future__ import annotations

import datetime as dt
import io

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit

from digiystava.i18n import N_, format_date, translate
from pdf_templates.labels import draw_qr
from pdf_templates.styles import FONT, FONT_BOLD, PDF_WRITE_LOCK, drawing_canvas, plain_text

COLUMNS, ROWS = 2, 3
CARD_W, CARD_H = A4[0] / COLUMNS, A4[1] / ROWS
QR_SIZE = 45 * mm
MARGIN = 8 * mm
TITLE = N_("Tell us what you think of the course")
HOW = N_("Open the camera of your tablet and point it at the code. Or type the address below.")
ONCE = N_("The card works once, until {date}. Your name is not asked.")
SUBJECT = N_("{count} cards with a one-time link to the feedback form: {course}")


def render_cards(urls: list[str], course: str, expires: dt.date, lang: str) -> bytes:
    out = io.BytesIO()
    canvas = drawing_canvas(
        out,
        title=translate(lang, TITLE),
        lang=lang,
        subject=translate(lang, SUBJECT).format(count=len(urls), course=plain_text(course)),
    )
    width = CARD_W - 2 * MARGIN
    for index, url in enumerate(urls):
        if index and index % (COLUMNS * ROWS) == 0:
            canvas.showPage()
        slot = index % (COLUMNS * ROWS)
        x = (slot % COLUMNS) * CARD_W + MARGIN
        top = A4[1] - (slot // COLUMNS) * CARD_H - MARGIN
        canvas.setDash(2, 3)
        canvas.rect(x - MARGIN, top + MARGIN - CARD_H, CARD_W, CARD_H)  # where to cut
        canvas.setDash()
        y = top - 6 * mm
        canvas.setFont(FONT_BOLD, 16)
        for line in simpleSplit(translate(lang, TITLE), FONT_BOLD, 16, width)[:2]:
            canvas.drawString(x, y, line)
            y -= 7 * mm
        canvas.setFont(FONT, 11)
        for line in simpleSplit(plain_text(course), FONT, 11, width)[:1]:
            canvas.drawString(x, y, line)
        draw_qr(canvas, url, x, y - 3 * mm - QR_SIZE, QR_SIZE)
        text_x, text_w = x + QR_SIZE + 5 * mm, width - QR_SIZE - 5 * mm
        canvas.setFont(FONT, 12)
        ty = y - 8 * mm
        for line in simpleSplit(translate(lang, HOW), FONT, 12, text_w):
            canvas.drawString(text_x, ty, line)
            ty -= 5.5 * mm
        y -= QR_SIZE + 9 * mm
        canvas.setFont(FONT, 9)
        canvas.drawString(x, y, url)
        canvas.setFont(FONT, 11)
        once = translate(lang, ONCE).format(date=format_date(expires, lang, "long"))
        for line in simpleSplit(once, FONT, 11, width)[:2]:
            y -= 5.5 * mm
            canvas.drawString(x, y, line)
    canvas.showPage()
    with PDF_WRITE_LOCK:
        canvas.save()
    return out.getvalue()
