"""A chart PNG placed in a PDF, its compressed pixel stream kept between reports.

reportlab's own ``Image`` decodes the PNG, hashes and re-compresses its pixels on every
build, which costs more than laying out the rest of a report; a chart drawn once through
the chart cache should cost nothing the second time. So the PDF image stream is built
once per PNG (keyed by its digest) and reused.
"""

from __future__ import annotations

import hashlib
import io
import threading
import zlib
from collections import OrderedDict
from dataclasses import dataclass

from reportlab.pdfbase.pdfdoc import PDFImageXObject
from reportlab.platypus import Flowable

_MAX_STREAMS = 64
_streams: OrderedDict[str, _Stream] = OrderedDict()
_lock = threading.Lock()


@dataclass(frozen=True)
class _Stream:
    name: str
    width: int
    height: int
    content: bytes  # Flate-compressed RGB rows


def _stream(png: bytes) -> _Stream:
    from PIL import Image as PILImage

    name = "chart" + hashlib.sha256(png).hexdigest()[:24]
    with _lock:
        if name in _streams:
            _streams.move_to_end(name)
            return _streams[name]
    with PILImage.open(io.BytesIO(png)) as image:
        rgb = image.convert("RGB")  # charts are drawn on white: no transparency to keep
        stream = _Stream(name, rgb.width, rgb.height, zlib.compress(rgb.tobytes(), 6))
    with _lock:
        _streams[name] = stream
        while len(_streams) > _MAX_STREAMS:
            _streams.popitem(last=False)
    return stream


def forget_streams() -> None:
    """Empty the stream cache (benchmarks and tests of a first render)."""
    with _lock:
        _streams.clear()


class ChartImage(Flowable):
    """A chart at ``width`` points wide, its height from the PNG's aspect ratio."""

    def __init__(self, png: bytes, width: float) -> None:
        super().__init__()
        self._stream = _stream(png)
        self.width = width
        self.height = width * self._stream.height / self._stream.width
        self.hAlign = "LEFT"

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        canvas, stream = self.canv, self._stream
        doc = canvas._doc
        registered = doc.getXObjectName(stream.name)
        if registered not in doc.idToObject:
            image = PDFImageXObject(stream.name)
            image.width, image.height, image.bitsPerComponent = stream.width, stream.height, 8
            image.colorSpace, image._filters, image.streamContent = "DeviceRGB", ("FlateDecode",), stream.content
            image.mask = None
            canvas._setXObjects(image)
            doc.Reference(image, registered)
            doc.addForm(stream.name, image)
        canvas._currentPageHasImages = 1
        canvas.saveState()
        canvas.scale(self.width, self.height)
        canvas._code.append(f"/{registered} Do")
        canvas.restoreState()
        canvas._formsinuse.append(stream.name)  # lists the image in the page's resources
