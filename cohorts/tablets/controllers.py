"""JSON API of tablets, donations, donor reports and label sheets."""

from __future__ import annotations

from typing import Literal

from litestar import Controller, Request, Response, get, patch, post
from litestar.params import FromPath, FromQuery, JSONBody

from cohorts.tablets import donors, exports, imports, labels, services
from cohorts.tablets.schemas import (
    DonationIn,
    DonationOut,
    Donor,
    DonorReport,
    ImportResult,
    OperatingSystem,
    TabletEventOut,
    TabletIn,
    TabletOut,
    TabletPatch,
    TabletStatus,
    WipeIn,
)
from digiystava.i18n import current_language
from digiystava.read_cache import CACHED_READ
from digiystava.schemas import Page
from digiystava.settings import MAX_UPLOAD_BYTES
from digiystava.spreadsheets import XLSX_MEDIA_TYPE, Separator, SpreadsheetFormat
from digiystava.web.downloads import download
from digiystava.web.params import Caller, Limit, Offset


def spreadsheet_format(request: Request) -> SpreadsheetFormat:
    """csv or xlsx, from the path's ending (one handler serves both)."""
    return "xlsx" if request.url.path.endswith(".xlsx") else "csv"


class TabletController(Controller):
    path = "/api/v1/tablets"
    tags = ["tablets"]

    @get("/", opt=CACHED_READ)
    async def list_tablets(
        self,
        principal: Caller,
        limit: Limit = 50,
        offset: Offset = 0,
        status: FromQuery[TabletStatus | None] = None,
        donor: FromQuery[Donor | None] = None,
        asset_tag: FromQuery[str | None] = None,
    ) -> Page[TabletOut]:
        return await services.tablet_page(principal, limit, offset, status, donor, asset_tag)

    @post("/")
    async def create_tablet(self, principal: Caller, data: JSONBody[TabletIn]) -> TabletOut:
        return await services.create_tablet(principal, data)

    @post("/import", request_max_body_size=MAX_UPLOAD_BYTES, status_code=201)
    async def import_tablets(
        self,
        request: Request,
        principal: Caller,
        donation_id: FromQuery[int | None] = None,
        donor: FromQuery[Donor | None] = None,
        os: FromQuery[OperatingSystem | None] = None,
    ) -> ImportResult:
        """A CSV or .xlsx file (header row, then one tablet per row) as the request body or the form's
        ``file``; all rows or none.

        New serial numbers add tablets; known ones update the tablet's model, os, condition,
        accessories, SIM number, data plan and notes. ``donor`` (or ``donation_id``) is the
        donor of a file without a donor column; ``os`` the system of rows whose model does
        not tell it. A refused file's answer lists the accepted ``columns``.
        """
        content = await request.body()
        if "multipart/form-data" in request.headers.get("content-type", ""):
            upload = (await request.form()).get("file")
            content = await upload.read() if upload is not None and hasattr(upload, "read") else b""
        return await imports.import_tablets(principal, content, donation_id, donor, os)

    @get(["/import/template.csv", "/import/template.xlsx"])
    async def import_template(
        self, request: Request, principal: Caller, separator: FromQuery[Separator] = "semicolon"
    ) -> Response[bytes]:
        """An empty delivery file: the header row of the columns the import reads."""
        fmt = spreadsheet_format(request)
        content, media_type = exports.import_template(principal, fmt, separator)
        return download(content, f"tablets-template.{fmt}", media_type)

    @get(["/export.csv", "/export.xlsx"])
    async def export_tablets(
        self,
        request: Request,
        principal: Caller,
        status: FromQuery[TabletStatus | None] = None,
        donor: FromQuery[Donor | None] = None,
        separator: FromQuery[Separator] = "semicolon",
    ) -> Response[bytes]:
        """The inventory with the import's columns: edit it in a spreadsheet and import it back."""
        fmt = spreadsheet_format(request)
        content, media_type = await exports.inventory(principal, fmt, status, donor, separator)
        return download(content, f"tablets.{fmt}", media_type)

    @get("/{tablet_id:int}")
    async def get_tablet(self, principal: Caller, tablet_id: FromPath[int]) -> TabletOut:
        return await services.get_tablet(principal, tablet_id)

    @patch("/{tablet_id:int}")
    async def update_tablet(
        self, principal: Caller, tablet_id: FromPath[int], data: JSONBody[TabletPatch]
    ) -> TabletOut:
        return await services.update_tablet(principal, tablet_id, data)

    @get("/{tablet_id:int}/history")
    async def tablet_history(self, principal: Caller, tablet_id: FromPath[int]) -> list[TabletEventOut]:
        return await services.history(principal, tablet_id)

    @post("/{tablet_id:int}/wipe", status_code=200)
    async def confirm_wipe(self, principal: Caller, tablet_id: FromPath[int], data: JSONBody[WipeIn]) -> TabletOut:
        return await services.confirm_wipe(principal, tablet_id, data)


class DonationController(Controller):
    path = "/api/v1"
    tags = ["donations"]

    @get("/donations")
    async def list_donations(
        self, principal: Caller, limit: Limit = 50, offset: Offset = 0, donor: FromQuery[Donor | None] = None
    ) -> Page[DonationOut]:
        return await services.list_donations(principal, limit, offset, donor)

    @post("/donations")
    async def create_donation(self, principal: Caller, data: JSONBody[DonationIn]) -> DonationOut:
        return await services.create_donation(principal, data)

    @get("/donations/{donation_id:int}")
    async def get_donation(self, principal: Caller, donation_id: FromPath[int]) -> DonationOut:
        return await services.get_donation(principal, donation_id)

    @get(
        "/donors/{donor:str}/report",
        response_model=None,
        opt={"formats": {"csv": "text/csv", "xlsx": XLSX_MEDIA_TYPE, "pdf": "application/pdf"}},
    )
    async def donor_report(
        self,
        principal: Caller,
        donor: FromPath[Donor],
        format: FromQuery[Literal["json", "csv", "xlsx", "pdf"]] = "json",
        separator: FromQuery[Separator] = "semicolon",
    ) -> DonorReport | Response[bytes]:
        slug = donor.lower().replace(" ", "-")
        if format in ("csv", "xlsx"):
            content, media_type = await donors.donor_report_sheet(principal, donor, format, separator)
            return download(content, f"donor-{slug}.{format}", media_type)
        if format == "pdf":
            return download(await donors.donor_report_pdf(principal, donor), f"donor-{slug}.pdf")
        return await donors.donor_report(principal, donor)


class LabelController(Controller):
    path = "/api/v1/labels.pdf"
    tags = ["tablets"]

    @get("/", media_type="application/pdf")
    async def labels(
        self,
        request: Request,
        principal: Caller,
        tablet_id: FromQuery[list[int] | None] = None,
        donation_id: FromQuery[int | None] = None,
        status: FromQuery[TabletStatus | None] = None,
        donor: FromQuery[Donor | None] = None,
    ) -> Response[bytes]:
        """QR asset labels on an A4 sheet (3 x 8, 70 x 37 mm): the tablets chosen, of one delivery
        (``donation_id``) or of a filter (``status``, ``donor``); with none of these, every tablet.

        The QR codes hold the address this was asked from, or ``DIGIYSTAVA_BASE_URL`` when set.
        """
        content = await labels.labels_pdf(
            principal,
            tablet_id or [],
            labels.label_address(str(request.base_url)),
            current_language(),
            donation_id=donation_id,
            status=status,
            donor=donor,
        )
        return download(content, "labels.pdf")
