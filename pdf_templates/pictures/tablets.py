"""The two kinds of tablet the programme lends, from the front and the side, parts named.

Drawn in points at the size they are printed, so that the names keep the body text size.
"""

from __future__ import annotations

from reportlab.graphics.shapes import Group
from reportlab.pdfbase.pdfmetrics import stringWidth

from pdf_templates.pictures.catalog import label
from pdf_templates.pictures.ink import BLACK, BLUE, PALE, WHITE, circle, line, rect, text
from pdf_templates.styles import FONT, FONT_BOLD

ASPECT = 0.62  # height / width


def tablet(name: str, lang: str, width: float, font: float) -> Group:
    """``name`` is "android" or "ipad"; parts are marked with a blue dot and a leader line."""
    u = width / 440  # the layout below is in a 440-unit-wide box
    height = width * ASPECT
    top, bottom = height - font * 1.8, font * 1.8
    tall = top - bottom
    fw = tall * 0.7  # front view, portrait
    fx = 10 * u
    g = Group(
        rect(fx, bottom, fw, tall, r=14 * u, fill=WHITE, width=4 * u),
        rect(fx + 10 * u, bottom + 12 * u, fw - 20 * u, tall - 24 * u, r=4 * u, fill=PALE, width=2 * u),
    )
    sx = fx + fw + 26 * u  # side view, right edge seen from the right
    g.add(rect(sx, bottom, 9 * u, tall, r=4 * u, fill=WHITE, width=3 * u))
    cx = fx + fw / 2
    camera = (cx, top - 6 * u)
    g.add(circle(*camera, 3 * u, fill=BLACK, width=1))
    home = (cx, bottom + 18 * u)
    g.add(line(cx - 22 * u, home[1], cx + 22 * u, home[1], width=5 * u))
    port = (cx, bottom)
    g.add(rect(cx - 10 * u, bottom - 3 * u, 20 * u, 6 * u, r=2 * u, fill=BLACK, width=1))
    side_x = sx + 9 * u
    volume_top = top - tall * 0.18
    g.add(rect(side_x, volume_top - 48 * u, 5 * u, 46 * u, r=2 * u, fill=BLACK, width=1))
    volume = (side_x + 5 * u, volume_top - 25 * u)
    if name == "android":
        g.add(rect(side_x, volume_top + 6 * u, 5 * u, 22 * u, r=2 * u, fill=BLUE, width=1))
        power = (side_x + 5 * u, volume_top + 17 * u)
    else:
        g.add(rect(fx + fw - 44 * u, top, 26 * u, 5 * u, r=2 * u, fill=BLUE, width=1))
        power = (fx + fw - 31 * u, top + 5 * u)
    g.add(text(fx + fw / 2, bottom - font * 1.5, label("part", "front", lang), font * 0.85, font=FONT))
    g.add(text(sx + 4 * u, bottom - font * 1.5, label("part", "side", lang), font * 0.85, font=FONT))
    parts = sorted(
        [(power, "power-button"), (volume, "volume"), (camera, "camera"), (home, "home-area"), (port, "port")],
        key=lambda item: -item[0][1],
    )
    names = {part: label("part", part, lang) for _, part in parts}
    widest = max(stringWidth(name, FONT_BOLD, font) for name in names.values())
    # NOTE: the names keep the body size; only a drawing too narrow for them gets a smaller one.
    room = width - (sx + 30 * u) - 2
    if widest > room:
        font, widest = font * room / widest, room
    lx = min(sx + 60 * u, width - widest - 2)
    step = (top - bottom) / (len(parts) - 1)
    for n, ((px, py), part) in enumerate(parts):
        ly = top - n * step
        g.add(line(px, py, lx - 4 * u, ly + font * 0.35, stroke=BLUE, width=2 * u))
        g.add(circle(px, py, 4 * u, fill=BLUE, stroke=WHITE, width=1.5 * u))
        g.add(text(lx, ly, names[part], font, anchor="start"))
    return g
