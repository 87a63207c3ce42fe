"""A chart's pixels as a PDF holds an image: plain data the app draws once and the layouts place.

A chart drawn at 150 dpi goes straight into the stream of a PDF image (RGB rows,
Flate-compressed) rather than through a PNG that every report would decode and compress
again; the chart cache keeps the stream, so a chart drawn once costs nothing the second
time.
"""

from __future__ import annotations

import hashlib
import zlib
from dataclasses import dataclass


@dataclass(frozen=True)
class ChartRaster:
    width: int  # pixels
    height: int
    content: bytes  # RGB rows, top to bottom, Flate-compressed

    @classmethod
    def from_rgba(cls, rgba: bytes, width: int) -> ChartRaster:
        """From RGBA rows drawn on an opaque background: the alpha is left out."""
        height, rest = divmod(len(rgba), 4 * width)
        if rest or not height:
            raise ValueError(f"{len(rgba)} bytes are no rows of {width} RGBA pixels")
        rgb = bytearray(3 * width * height)
        for channel in range(3):
            rgb[channel::3] = rgba[channel::4]
        return cls(width, height, zlib.compress(rgb, 6))

    @property
    def name(self) -> str:
        """The image's name in a PDF: the same pixels, the same name (a document holds them once)."""
        return "chart" + hashlib.sha256(self.content).hexdigest()[:24]
