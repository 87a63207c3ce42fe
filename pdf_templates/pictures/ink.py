"""The pen of every picture: black lines, white fills, one blue accent, in a 100 x 100 box."""

from __future__ import annotations

import math

from reportlab.graphics.shapes import ArcPath, Circle, Group, Line, Path, Polygon, PolyLine, Rect, String
from reportlab.lib import colors

from pdf_templates.styles import FONT_BOLD, HELSINKI_BLUE

BLACK = colors.black
WHITE = colors.white
BLUE = colors.HexColor(HELSINKI_BLUE)
PALE = colors.HexColor("#D5E2F6")  # screens and panels; black on it is 16:1
LINE = 6  # stroke width in box units: about 2.4 pt at the smallest print size (14 mm)


def rect(x, y, w, h, r=0, fill=WHITE, stroke=BLACK, width=LINE) -> Rect:
    return Rect(x, y, w, h, rx=r, ry=r, fillColor=fill, strokeColor=stroke, strokeWidth=width)


def circle(x, y, r, fill=WHITE, stroke=BLACK, width=LINE) -> Circle:
    return Circle(x, y, r, fillColor=fill, strokeColor=stroke, strokeWidth=width)


def line(x1, y1, x2, y2, stroke=BLACK, width=LINE) -> Line:
    return Line(x1, y1, x2, y2, strokeColor=stroke, strokeWidth=width, strokeLineCap=1)


def polyline(points, stroke=BLACK, width=LINE) -> PolyLine:
    return PolyLine(points, strokeColor=stroke, strokeWidth=width, strokeLineCap=1, strokeLineJoin=1)


def polygon(points, fill=WHITE, stroke=BLACK, width=LINE) -> Polygon:
    return Polygon(points, fillColor=fill, strokeColor=stroke, strokeWidth=width, strokeLineJoin=1)


def arc(x, y, r, start, end, stroke=BLACK, width=LINE) -> ArcPath:
    """An open arc, angles in degrees counter-clockwise from 3 o'clock."""
    path = ArcPath(strokeColor=stroke, strokeWidth=width, fillColor=None, strokeLineCap=1)
    path.addArc(x, y, r, start, end, degreedelta=6, moveTo=True)
    return path


def path(fill=WHITE, stroke=BLACK, width=LINE) -> Path:
    return Path(fillColor=fill, strokeColor=stroke, strokeWidth=width, strokeLineJoin=1, strokeLineCap=1)


def text(x, y, value, size, anchor="middle", fill=BLACK, font=FONT_BOLD) -> String:
    return String(x, y, value, fontName=font, fontSize=size, fillColor=fill, textAnchor=anchor)


def arrow(x1, y1, x2, y2, stroke=BLUE, width=LINE, head=12) -> Group:
    """A line from (x1, y1) with a filled head at (x2, y2)."""
    angle = math.atan2(y2 - y1, x2 - x1)
    back = (x2 - head * math.cos(angle), y2 - head * math.sin(angle))
    left = (back[0] - head * 0.6 * math.sin(angle), back[1] + head * 0.6 * math.cos(angle))
    right = (back[0] + head * 0.6 * math.sin(angle), back[1] - head * 0.6 * math.cos(angle))
    return Group(
        line(x1, y1, back[0], back[1], stroke, width),
        polygon([x2, y2, *left, *right], fill=stroke, stroke=stroke, width=1),
    )


def place(shape, x: float, y: float, size: float, box: float = 100) -> Group:
    """A shape drawn in a ``box`` x ``box`` square, scaled to ``size`` with its corner at (x, y)."""
    group = Group(shape)
    scale = size / box
    group.transform = (scale, 0, 0, scale, x, y)
    return group
