"""App and button icons, drawn in a 100 x 100 box, recognisable from 12 mm up.

They follow what seniors see on Android tablets and iPads (a cogwheel for settings,
an envelope for email) without copying any maker's artwork.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from reportlab.graphics.shapes import Group

from pdf_templates.pictures.ink import (
    BLACK,
    BLUE,
    LINE,
    PALE,
    WHITE,
    arc,
    arrow,
    circle,
    line,
    path,
    polygon,
    polyline,
    rect,
    text,
)


def power() -> Group:
    return Group(arc(50, 46, 32, 125, 415, width=9), line(50, 52, 50, 90, width=9))


def wifi() -> Group:
    g = Group(circle(50, 18, 7, fill=BLACK, width=1))
    for r in (24, 44, 64):
        g.add(arc(50, 18, r, 48, 132, width=9))
    return g


def settings() -> Group:
    teeth, points = 8, []
    for n in range(teeth * 4):
        angle = math.pi * 2 * n / (teeth * 4)
        r = 44 if n % 4 in (1, 2) else 33
        points += [50 + r * math.cos(angle), 50 + r * math.sin(angle)]
    return Group(polygon(points, fill=PALE), circle(50, 50, 13))


def camera() -> Group:
    return Group(
        polygon([34, 72, 40, 82, 60, 82, 66, 72], fill=WHITE),
        rect(10, 20, 80, 54, r=10, fill=PALE),
        circle(50, 46, 19),
        circle(50, 46, 8, fill=BLACK, width=1),
    )


def photos() -> Group:
    return Group(
        rect(10, 18, 80, 64, r=6),
        polygon([14, 22, 40, 56, 54, 38, 66, 50, 86, 22], fill=BLUE, width=4),
        circle(70, 66, 8, fill=WHITE),
    )


def email() -> Group:
    return Group(rect(8, 22, 84, 56, r=5, fill=PALE), polyline([10, 76, 50, 44, 90, 76]))


def browser() -> Group:
    g = Group(circle(50, 50, 40, fill=PALE))
    ellipse = path(fill=None)
    ellipse.moveTo(50, 90)
    ellipse.curveTo(28, 70, 28, 30, 50, 10)
    ellipse.curveTo(72, 30, 72, 70, 50, 90)
    g.add(ellipse)
    g.add(line(10, 50, 90, 50, width=4))
    g.add(line(17, 70, 83, 70, width=4))
    g.add(line(17, 30, 83, 30, width=4))
    g.add(line(50, 10, 50, 90, width=4))
    return g


def calendar() -> Group:
    return Group(
        rect(12, 10, 76, 74, r=6),
        rect(12, 62, 76, 22, r=6, fill=BLUE),
        line(32, 78, 32, 92),
        line(68, 78, 68, 92),
        text(50, 20, "12", 38),
    )


def app_store() -> Group:
    return Group(
        arc(50, 66, 15, 0, 180),
        polygon([14, 66, 86, 66, 80, 10, 20, 10], fill=PALE),
        polyline([36, 24, 50, 52, 64, 24], width=7),
        line(40, 34, 60, 34, width=5),
    )


def share() -> Group:
    return Group(
        polyline([34, 64, 18, 64, 18, 10, 82, 10, 82, 64, 66, 64]),
        arrow(50, 30, 50, 94, stroke=BLACK, width=LINE, head=20),
    )


def share_dots() -> Group:
    return Group(
        line(28, 50, 72, 78, width=5),
        line(28, 50, 72, 22, width=5),
        circle(28, 50, 12, fill=BLUE),
        circle(72, 78, 12, fill=BLUE),
        circle(72, 22, 12, fill=BLUE),
    )


def back() -> Group:
    return Group(arrow(86, 50, 12, 50, stroke=BLACK, width=10, head=34))


def home() -> Group:
    return Group(
        polygon([18, 10, 18, 52, 50, 82, 82, 52, 82, 10], fill=PALE),
        rect(42, 10, 16, 26, fill=WHITE, width=4),
        polyline([8, 50, 50, 90, 92, 50], width=8),
    )


def search() -> Group:
    return Group(line(58, 42, 88, 12, width=12), circle(42, 58, 27, fill=PALE, width=8))


def microphone() -> Group:
    return Group(
        arc(50, 56, 26, 180, 360),
        line(50, 30, 50, 12),
        line(34, 10, 66, 10),
        rect(36, 40, 28, 52, r=14, fill=PALE),
    )


def lock() -> Group:
    return Group(
        arc(50, 58, 20, 0, 180, width=9),
        line(30, 58, 30, 46, width=9),
        line(70, 58, 70, 46, width=9),
        rect(16, 8, 68, 48, r=6, fill=PALE),
        circle(50, 32, 6, fill=BLACK, width=1),
    )


def battery() -> Group:
    return Group(
        rect(8, 26, 76, 48, r=6),
        rect(84, 40, 8, 20, fill=BLACK, width=1),
        polygon([50, 70, 30, 46, 46, 46, 40, 30, 62, 54, 46, 54], fill=BLUE, width=3),
    )


def send() -> Group:
    return Group(polygon([8, 52, 92, 88, 66, 12, 50, 42], fill=PALE), line(50, 42, 92, 88, width=4))


def compose() -> Group:
    pen = polygon([22, 22, 30, 42, 76, 88, 90, 74, 44, 28], fill=PALE)
    return Group(line(10, 10, 60, 10, width=4), pen, polygon([22, 22, 30, 42, 42, 30], fill=BLACK, width=2))


def bank() -> Group:
    g = Group(polygon([10, 66, 50, 90, 90, 66], fill=BLUE), rect(10, 8, 80, 8, fill=BLACK, width=1))
    for x in (22, 42, 58, 78):
        g.add(line(x, 22, x, 58, width=8))
    return g


def cart() -> Group:
    return Group(
        polyline([6, 82, 20, 82, 30, 34, 80, 34, 88, 68, 24, 68], width=7),
        circle(36, 18, 8, fill=BLACK, width=1),
        circle(74, 18, 8, fill=BLACK, width=1),
    )


def health() -> Group:
    heart = path(fill=PALE)
    heart.moveTo(50, 12)
    heart.curveTo(12, 40, 6, 62, 18, 76)
    heart.curveTo(30, 90, 46, 84, 50, 70)
    heart.curveTo(54, 84, 70, 90, 82, 76)
    heart.curveTo(94, 62, 88, 40, 50, 12)
    heart.closePath()
    return Group(heart, rect(44, 30, 12, 36, fill=BLUE, width=1), rect(32, 42, 36, 12, fill=BLUE, width=1))


def book() -> Group:
    return Group(
        polygon([50, 20, 10, 28, 10, 84, 50, 76], fill=WHITE),
        polygon([50, 20, 90, 28, 90, 84, 50, 76], fill=PALE),
        line(18, 64, 42, 60, width=4),
        line(18, 50, 42, 46, width=4),
        line(58, 60, 82, 64, width=4),
        line(58, 46, 82, 50, width=4),
    )


def play() -> Group:
    return Group(circle(50, 50, 42, fill=PALE), polygon([38, 28, 38, 72, 74, 50], fill=BLUE, width=4))


def music() -> Group:
    return Group(
        line(40, 26, 40, 84, width=7),
        line(80, 36, 80, 92, width=7),
        polygon([40, 84, 80, 92, 80, 78, 40, 70], fill=BLACK, width=1),
        circle(30, 24, 12, fill=BLUE),
        circle(70, 34, 12, fill=BLUE),
    )


def game() -> Group:
    g = Group(rect(12, 12, 76, 76, r=14, fill=PALE))
    for x, y in ((32, 68), (50, 50), (68, 32), (32, 32), (68, 68)):
        g.add(circle(x, y, 7, fill=BLACK, width=1))
    return g


def video_call() -> Group:
    return Group(rect(6, 24, 60, 52, r=8, fill=PALE), polygon([66, 44, 94, 26, 94, 74, 66, 56], fill=BLUE))


def person(x: float, y: float, size: float, fill=PALE) -> Group:
    """Head and shoulders, ``size`` tall, standing on (x, y)."""
    s = size / 100
    body = path(fill=fill, width=LINE * s * 1.4)
    body.moveTo(x - 40 * s, y)
    body.curveTo(x - 40 * s, y + 40 * s, x + 40 * s, y + 40 * s, x + 40 * s, y)
    body.closePath()
    return Group(body, circle(x, y + 62 * s, 22 * s, fill=fill, width=LINE * s * 1.4))


def people() -> Group:
    return Group(person(26, 14, 60), person(74, 14, 60), person(50, 10, 76, fill=WHITE))


def chat() -> Group:
    bubble = polygon([20, 30, 12, 8, 36, 20, 50, 18, 50, 18], fill=PALE)
    handset = polygon(
        [36, 64, 42, 70, 48, 64, 44, 58, 52, 46, 58, 50, 64, 44, 58, 38, 46, 42, 34, 56], fill=BLACK, width=2
    )
    return Group(bubble, circle(52, 54, 40, fill=PALE), handset)


def volume() -> Group:
    return Group(
        polygon([10, 38, 10, 62, 28, 62, 50, 82, 50, 18, 28, 38], fill=PALE),
        arc(52, 50, 18, -45, 45),
        arc(52, 50, 34, -45, 45),
    )


def flip_camera() -> Group:
    return Group(
        camera(),
        arc(50, 46, 30, 20, 160, stroke=BLUE, width=5),
        arc(50, 46, 30, 200, 340, stroke=BLUE, width=5),
    )


def shutter() -> Group:
    return Group(circle(50, 50, 42, fill=WHITE, width=5), circle(50, 50, 32, fill=PALE, width=3))


ICONS: dict[str, Callable[[], Group]] = {
    "chat": chat,
    "volume": volume,
    "flip-camera": flip_camera,
    "shutter": shutter,
    "power": power,
    "wifi": wifi,
    "settings": settings,
    "camera": camera,
    "photos": photos,
    "email": email,
    "browser": browser,
    "calendar": calendar,
    "app-store": app_store,
    "share": share,
    "share-dots": share_dots,
    "back": back,
    "home": home,
    "search": search,
    "microphone": microphone,
    "lock": lock,
    "battery": battery,
    "send": send,
    "compose": compose,
    "bank": bank,
    "cart": cart,
    "health": health,
    "book": book,
    "play": play,
    "music": music,
    "game": game,
    "video-call": video_call,
    "people": people,
}
