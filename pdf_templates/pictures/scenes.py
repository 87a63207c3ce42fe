"""The large picture that opens each skill chapter: a tablet showing what the senior will do.

A simplified screen, drawn from the project's own icons; no app's screenshot or artwork.
"""

from __future__ import annotations

from collections.abc import Callable

from reportlab.graphics.shapes import Group

from pdf_templates.pictures import icons
from pdf_templates.pictures.ink import BLACK, BLUE, PALE, WHITE, circle, line, place, rect

ASPECT = 0.5  # height / width; drawn in a 300 x 150 box


def _lines(x: float, y: float, width: float, rows: int, gap: float = 14) -> Group:
    return Group(
        *(line(x, y - n * gap, x + width * (0.6 if n == rows - 1 else 1), y - n * gap, width=4) for n in range(rows))
    )


def search() -> Group:
    box = Group(rect(40, 96, 190, 30, r=15, width=3), place(icons.search(), 196, 98, 26))
    return Group(box, _lines(48, 76, 190, 3), place(icons.browser(), 232, 20, 44))


def email() -> Group:
    return Group(place(icons.email(), 30, 30, 90), _lines(140, 110, 120, 5, 18))


def calendar() -> Group:
    g = Group(rect(40, 18, 220, 110, r=6, width=3), rect(40, 106, 220, 22, r=6, fill=BLUE, width=3))
    for row in range(3):
        for col in range(7):
            x, y = 58 + col * 31, 86 - row * 28
            g.add(circle(x, y, 5, fill=BLACK, width=1))
    g.add(circle(58 + 3 * 31, 58, 13, fill=None, stroke=BLUE, width=5))
    return g


def banking() -> Group:
    return Group(place(icons.bank(), 46, 22, 100), place(icons.lock(), 176, 30, 80))


def shopping() -> Group:
    g = Group(place(icons.cart(), 40, 22, 104))
    for n, x in enumerate((170, 214)):
        g.add(rect(x, 60, 36, 36, r=4, fill=PALE if n else WHITE, width=3))
        g.add(line(x, 48, x + 36, 48, width=4))
    return g


def health() -> Group:
    return Group(place(icons.health(), 40, 22, 104), _lines(168, 104, 96, 5, 16))


def photos() -> Group:
    return Group(place(icons.camera(), 40, 26, 96), place(icons.photos(), 156, 22, 104))


def e_reading() -> Group:
    return Group(place(icons.book(), 80, 10, 130))


def streaming() -> Group:
    return Group(rect(36, 26, 228, 98, r=4, fill=WHITE, width=3), place(icons.play(), 112, 36, 78))


def music() -> Group:
    return Group(place(icons.music(), 50, 24, 100), place(icons.play(), 180, 40, 70))


def games() -> Group:
    g = Group(place(icons.game(), 40, 30, 90))
    for row in range(3):
        for col in range(3):
            g.add(rect(160 + col * 32, 26 + row * 32, 28, 28, r=3, fill=BLUE if (row + col) % 2 else WHITE, width=3))
    return g


def contact() -> Group:
    g = Group(icons.person(150, 20, 110, fill=WHITE))
    g.add(rect(214, 24, 56, 44, r=4, fill=WHITE, width=3))
    g.add(icons.person(242, 28, 34, fill=PALE))
    g.add(place(icons.video_call(), 30, 90, 40))
    return g


def remote_groups() -> Group:
    g = Group()
    for n in range(4):
        x, y = 46 + (n % 2) * 108, 82 - (n // 2) * 62
        g.add(rect(x, y, 100, 56, r=4, fill=WHITE, width=3))
        g.add(icons.person(x + 50, y + 4, 46, fill=PALE))
    return g


SCENES: dict[str, Callable[[], Group]] = {
    "search": search,
    "email": email,
    "calendar": calendar,
    "banking": banking,
    "shopping": shopping,
    "health": health,
    "photos": photos,
    "e_reading": e_reading,
    "streaming": streaming,
    "music": music,
    "games": games,
    "contact": contact,
    "remote_groups": remote_groups,
}


def scene(name: str) -> Group:
    """The tablet, lying on its side, with the chapter's screen and a pointing hand."""
    return Group(
        rect(4, 4, 292, 142, r=14, fill=WHITE, width=5),
        rect(14, 14, 272, 122, r=3, fill=WHITE, width=2),
        SCENES[name](),
        circle(150, 141, 2, fill=BLACK, width=1),
    )
