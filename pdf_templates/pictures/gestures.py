"""Pictograms of the finger movements the guide teaches, drawn in a 100 x 100 box.

A hand points with its forefinger; blue rings mark where it touches and blue arrows
show which way it moves. The rings and arrows are shapes, so they read in black and
white too.
"""

from __future__ import annotations

from collections.abc import Callable

from reportlab.graphics.shapes import Group

from pdf_templates.pictures.ink import BLACK, BLUE, PALE, WHITE, arrow, circle, line, polygon, rect, text

HAND = 4  # the hand's outline is thinner than an icon's, it is a larger shape


def hand(x: float, y: float, scale: float = 1.0) -> Group:
    """A right hand pointing up, forefinger tip at (x, y)."""
    s = scale
    w = HAND
    g = Group(
        rect(x - 20 * s, y - 86 * s, 40 * s, 50 * s, r=12 * s, width=w),  # palm
        polygon(
            [x - 18 * s, y - 50 * s, x - 36 * s, y - 32 * s, x - 30 * s, y - 24 * s, x - 12 * s, y - 40 * s], width=w
        ),  # thumb
    )
    for n in range(3):  # folded fingers
        g.add(rect(x + 2 * s + n * 0 * s, y - 44 * s - n * 12 * s, 20 * s, 13 * s, r=6 * s, width=w))
    g.add(rect(x - 8 * s, y - 46 * s, 16 * s, 50 * s, r=8 * s, width=w))  # forefinger
    return g


def _rings(x: float, y: float, radii=(9, 17)) -> Group:
    return Group(*(circle(x, y, r, fill=None, stroke=BLUE, width=4) for r in radii))


def tap() -> Group:
    return Group(_rings(46, 84), hand(46, 84, 0.92))


def double_tap() -> Group:
    return Group(_rings(42, 72, (9, 17, 25)), hand(42, 72, 0.8), text(82, 80, "2×", 20, fill=BLUE))


def long_press() -> Group:
    clock = Group(circle(78, 78, 16, fill=PALE, width=4), line(78, 78, 78, 90, width=4), line(78, 78, 87, 78, width=4))
    return Group(circle(40, 78, 10, fill=BLUE, stroke=BLUE, width=1), hand(40, 78, 0.8), clock)


def _trail(x1, y1, x2, y2) -> Group:
    return Group(arrow(x1, y1, x2, y2, width=6, head=16))


def swipe_left() -> Group:
    return Group(_trail(70, 86, 8, 86), hand(74, 80, 0.8))


def swipe_up() -> Group:
    screen = rect(10, 12, 80, 80, r=8, fill=PALE, width=4)
    return Group(screen, _trail(26, 20, 26, 88), hand(50, 40, 0.45))


def swipe_down() -> Group:
    screen = rect(10, 8, 80, 80, r=8, fill=PALE, width=4)
    return Group(screen, line(10, 92, 90, 92, width=8), _trail(26, 84, 26, 16), hand(52, 52, 0.45))


def scroll() -> Group:
    page = Group(rect(8, 10, 46, 84, r=4, fill=PALE, width=4))
    for y in (78, 64, 50, 36, 22):
        page.add(line(16, y, 46, y, stroke=BLACK, width=3))
    return Group(
        page, arrow(80, 50, 80, 94, width=5, head=12), arrow(80, 50, 80, 6, width=5, head=12), hand(66, 62, 0.6)
    )


def _finger(x: float, y: float, length: float, angle: float) -> Group:
    """A finger from (x, y), ``angle`` degrees from upright (positive leans left)."""
    g = Group(rect(-8, 0, 16, length, r=8, width=HAND))
    g.rotate(angle)
    g.translate(0, 0)
    outer = Group(g)
    outer.translate(x, y)
    return outer


def _two_fingers(open_: float) -> Group:
    """Thumb and forefinger from one hand, ``open_`` degrees apart."""
    return Group(
        _finger(50, 30, 52, open_ / 2),
        rect(34, 4, 34, 34, r=12, width=HAND),
        _finger(54, 30, 56, -open_ / 2),
    )


def pinch() -> Group:
    return Group(
        _two_fingers(36),
        arrow(6, 94, 28, 80, width=5, head=12),
        arrow(96, 96, 76, 82, width=5, head=12),
    )


def spread() -> Group:
    return Group(
        _two_fingers(64),
        arrow(24, 72, 4, 92, width=5, head=12),
        arrow(80, 72, 98, 94, width=5, head=12),
    )


def drag() -> Group:
    ghost = rect(6, 60, 30, 30, r=4, fill=None, stroke=BLACK, width=3)
    ghost.strokeDashArray = [5, 4]
    return Group(
        ghost, arrow(38, 75, 56, 75, width=5, head=12), rect(58, 60, 30, 30, r=4, fill=BLUE), hand(73, 72, 0.7)
    )


def type_() -> Group:
    keyboard = Group(rect(4, 8, 92, 58, r=6, fill=PALE, width=4))
    for row, y in enumerate((48, 34)):
        for n in range(6):
            keyboard.add(rect(10 + n * 14 + row * 6, y, 10, 10, r=2, fill=WHITE, width=2))
    keyboard.add(rect(28, 16, 44, 10, r=2, fill=WHITE, width=2))
    return Group(keyboard, _rings(52, 53, (8,)), hand(52, 53, 0.55))


def quick_settings() -> Group:
    panel = Group(rect(10, 54, 80, 34, r=4, fill=PALE, width=4))
    for n in range(4):
        panel.add(circle(24 + n * 17, 71, 6, fill=WHITE, width=3))
    return Group(
        rect(4, 4, 92, 90, r=8, fill=WHITE, width=4),
        panel,
        arrow(50, 92, 50, 36, width=6, head=14),
        hand(50, 36, 0.4),
    )


GESTURES: dict[str, Callable[[], Group]] = {
    "tap": tap,
    "double-tap": double_tap,
    "long-press": long_press,
    "swipe-left": swipe_left,
    "swipe-up": swipe_up,
    "swipe-down": swipe_down,
    "scroll": scroll,
    "pinch": pinch,
    "spread": spread,
    "drag": drag,
    "type": type_,
    "quick-settings": quick_settings,
}
