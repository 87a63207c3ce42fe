"""Drawing the pictures: cached reportlab drawings for the PDF, SVG for the web page.

``drawing`` and ``svg`` are cached per (picture, language, size): a cohort's 19 guides
draw each picture once. ``PictureFlowable`` also puts each picture into a PDF only once
(a form XObject) however many pages show it.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import quote
from weakref import WeakKeyDictionary

from reportlab.graphics import renderPDF, renderSVG
from reportlab.graphics.shapes import Drawing, Group, String
from reportlab.platypus import Flowable

from pdf_templates.pictures.catalog import known
from pdf_templates.styles import FONT, register_fonts

__all__ = ["PictureFlowable", "drawing", "height_for", "svg", "svg_data_uri"]


def height_for(kind: str, width: float) -> float:
    from pdf_templates.pictures import scenes, tablets

    return width * {"tablet": tablets.ASPECT, "scene": scenes.ASPECT}.get(kind, 1.0)


def _group(kind: str, name: str, lang: str, width: float, font: float) -> Group:
    from pdf_templates.pictures import gestures, icons, scenes, tablets
    from pdf_templates.pictures.ink import place

    if kind == "icon":
        return place(icons.ICONS[name](), 0, 0, width)
    if kind == "gesture":
        return place(gestures.GESTURES[name](), 0, 0, width)
    if kind == "tablet":
        return tablets.tablet(name, lang, width, font)
    if kind == "scene":
        return place(scenes.scene(name), 0, 0, width, box=300)
    raise KeyError(kind)


@lru_cache(maxsize=512)
def drawing(kind: str, name: str, lang: str, width: float, font: float = 14) -> Drawing:
    """The picture ``width`` points wide (KeyError for an unknown picture)."""
    if not known(kind, name):
        raise KeyError(f"no picture [{kind}: {name}]")
    register_fonts()  # the tablets' part names and the calendar's day are set in DejaVu Sans
    result = Drawing(width, height_for(kind, width))
    # NOTE: reportlab's graphics start each drawing in Helvetica, which is never embedded.
    result.initialFontName = FONT
    result.add(_group(kind, name, lang, width, font))
    return result


_DECIMALS = re.compile(r"(\d+\.\d)\d+")
_LONG_DECIMALS = re.compile(r"(\d+\.\d{3})\d+")  # scales keep three decimals
_RGB = re.compile(r"rgb\(([\d.]+)%,([\d.]+)%,([\d.]+)%\)")
# The SVG writer spells out defaults; without them a page of pictures is a third smaller.
_SHORTER = (
    (" fill-rule: evenodd;", ""),
    (" stroke-linecap: butt;", ""),
    ('<g transform="">', "<g>"),
    # The browser may not have DejaVu Sans: name the family as browsers know it, with fallbacks.
    ("font-family: DejaVuSans-Bold;", "font-family: 'DejaVu Sans', Verdana, sans-serif; font-weight: bold;"),
    ("font-family: DejaVuSans;", "font-family: 'DejaVu Sans', Verdana, sans-serif;"),
    (": ", ":"),
    ("; ", ";"),
)


def _round_coordinates(match: re.Match) -> str:
    return f' {match[1]}="{_DECIMALS.sub(lambda m: m[1], match[2])}"'


@lru_cache(maxsize=512)
def svg(kind: str, name: str, lang: str, width: float = 96, font: float = 14) -> str:
    """The same picture as an SVG document (for the guides' web pages)."""
    text = renderSVG.drawToString(drawing(kind, name, lang, width, font))
    text = text[text.index("<svg") :]  # no XML prolog or doctype: it is embedded
    # NOTE: a page of the guide shows a few hundred pictures: a tenth of a point is
    # finer than a screen shows, and the empty title and description say nothing.
    text = re.sub(r' (d|points)="([^"]*)"', _round_coordinates, text)
    text = _LONG_DECIMALS.sub(lambda m: m[1], text)
    text = _RGB.sub(lambda m: "#" + "".join(f"{round(float(c) * 2.55):02x}" for c in m.groups()), text)
    for wordy, short in _SHORTER:
        text = text.replace(wordy, short)
    text = re.sub(r"\s*<(title|desc)>\.\.\.</(title|desc)>", "", text)
    return re.sub(r">\s+<", "><", text)


@lru_cache(maxsize=512)
def svg_data_uri(kind: str, name: str, lang: str, width: float = 96, font: float = 14) -> str:
    return "data:image/svg+xml," + quote(svg(kind, name, lang, width, font), safe=" =:/;,.-()'\"")


# Forms already put into each PDF being written: the canvas -> form names.
_FORMS: WeakKeyDictionary = WeakKeyDictionary()
# The PDF operators of each picture without words, drawn once per process.
_CODE: dict[str, list[str]] = {}


def _has_text(node) -> bool:
    if isinstance(node, String):
        return True
    return any(_has_text(child) for child in getattr(node, "contents", ()))


class PictureFlowable(Flowable):
    """A picture in a PDF story, ``width`` points wide."""

    def __init__(self, kind: str, name: str, lang: str, width: float, font: float = 14):
        super().__init__()
        self.picture = drawing(kind, name, lang, round(width, 2), round(font, 2))
        self.form = f"picture-{kind}-{name}-{lang}-{width:.2f}-{font:.2f}"
        self.width, self.height = self.picture.width, self.picture.height

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        done = _FORMS.setdefault(canvas, set())
        if self.form not in done:
            canvas.beginForm(self.form, lowerx=-2, lowery=-2, upperx=self.width + 2, uppery=self.height + 2)
            code = _CODE.get(self.form)
            if code is None:
                renderPDF.draw(self.picture, canvas, 0, 0, showBoundary=False)
                # NOTE: the drawing's PDF operators are kept for the next document; pictures with
                # words are drawn each time, as a font's resource name differs between documents.
                if not _has_text(self.picture):
                    _CODE[self.form] = list(canvas._code)
            else:
                canvas._code.extend(code)
            canvas.endForm()
            done.add(self.form)
        canvas.doForm(self.form)
