"""A chart's pixels (``ChartRaster``) placed in a PDF as an image, without decoding or compressing them again.

reportlab's own ``Image`` decodes a picture, hashes and re-compresses its pixels on every
build, which costs more than laying out the rest of a report.
"""

from __future__ import annotations

from reportlab.pdfbase.pdfdoc import PDFImageXObject
from reportlab.platypus import Flowable

from pdf_templates.chart_raster import ChartRaster


class ChartImage(Flowable):
    """A chart at ``width`` points wide, its height from the raster's aspect ratio."""

    def __init__(self, raster: ChartRaster, width: float) -> None:
        super().__init__()
        self._raster = raster
        self.width = width
        self.height = width * raster.height / raster.width
        self.hAlign = "LEFT"

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        canvas, raster = self.canv, self._raster
        name = raster.name
        doc = canvas._doc
        registered = doc.getXObjectName(name)
        if registered not in doc.idToObject:
            image = PDFImageXObject(name)
            image.width, image.height, image.bitsPerComponent = raster.width, raster.height, 8
            image.colorSpace, image._filters, image.streamContent = "DeviceRGB", ("FlateDecode",), raster.content
            image.mask = None
            canvas._setXObjects(image)
            doc.Reference(image, registered)
            doc.addForm(name, image)
        canvas._currentPageHasImages = 1
        canvas.saveState()
        canvas.scale(self.width, self.height)
        canvas._code.append(f"/{registered} Do")
        canvas.restoreState()
        canvas._formsinuse.append(name)  # lists the image in the page's resources
