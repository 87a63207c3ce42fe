"""The guides' pictures: icons, gestures, tablets and chapter scenes, as PDF and SVG.

    from pdf_templates.pictures import Picture, drawing, svg, PictureFlowable

The names and words (``catalog``) load at once; the drawing code and reportlab load on
first use, so that starting the app and reading the guide files stay quick.
"""

from __future__ import annotations

from pdf_templates.pictures.catalog import PICTURE_KINDS, Picture, alt_text, known, label, picture_names

__all__ = [
    "PICTURE_KINDS",
    "Picture",
    "PictureFlowable",
    "alt_text",
    "drawing",
    "height_for",
    "known",
    "label",
    "picture_names",
    "svg",
    "svg_data_uri",
]
_RENDERING = ("PictureFlowable", "drawing", "height_for", "svg", "svg_data_uri")


def __getattr__(name: str):
    if name in _RENDERING:
        from pdf_templates.pictures import render

        return getattr(render, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
