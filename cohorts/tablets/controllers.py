"""JSON API of tablets, donations, donor reports and label sheets."""

from __future__ import annotations

from typing import Literal

from litestar import Controller, Request, Response, get, patch, post
from litestar.params import FromPath, FromQuery, JSONBody

from digiystava.access import Caller
from digiystava.schemas import Limit, Offset, Page
from digiystava.settings import get_settings
from digiystava.read_cache import CACHED_READ

from cohorts.tablets import donors, exports, imports, services
from cohorts.tablets.schemas import (
    DonationIn, DonationOut, Donor, DonorReport, ImportResult, TabletEventOut, TabletIn, TabletOut, TabletPatch, TabletStatus, WipeIn,
)


def file_response(content: bytes, media_type: str, filename: str) -> Response[bytes]:
    return Response(content=content, media_type=media_type, headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def pdf_response(content: bytes, filename: str) -> Response[bytes]:
    # NOTE: inline, so the browser opens the PDF for printing instead of saving it.
    return Response(content=content, media_type="application/pdf", headers={"Content-Disposition": f'inline; filename="{filename}"'})


class TabletController(Controller):
    path = "/api/v1/tablets"
    tags = ["tablets"]

    @get("/", opt=CACHED_READ)
    async def list_tablets(
        self, principal: Caller, limit: Limit = 50, offset: Offset = 0, status: FromQuery[TabletStatus | None] = None,
        donor: FromQuery[Donor | None] = None, asset_tag: FromQuery[str | None] = None,
    ) -> Page[TabletOut]:
        return await services.list_tablets(principal, limit, offset, status, donor, asset_tag)

    @post("/")
    async def create_tablet(self, principal: Caller, data: JSONBody[TabletIn]) -> TabletOut:
        return await services.create_tablet(principal, data)

    @post("/import", request_max_body_size=get_settings().max_upload_bytes, status_code=201)
    async def import_tablets(self, request: Request, principal: Caller, donation_id: FromQuery[int | None] = None) -> ImportResult:
        """A CSV file (header row, then one tablet per row) as the request body; all rows or none."""
        content = await request.body()
        if "multipart/form-data" in request.headers.get("content-type", ""):
            upload = (await request.form()).get("file")
            content = await upload.read() if upload is not None and hasattr(upload, "read") else b""
        return await imports.import_tablets(principal, content, donation_id)

    @get("/export.csv")
    async def export_tablets(self, principal: Caller, status: FromQuery[TabletStatus | None] = None, donor: FromQuery[Donor | None] = None) -> Response[bytes]:
        return file_response(await exports.inventory_csv(principal, status, donor), "text/csv; charset=utf-8", "tablets.csv")

    @get("/{tablet_id:int}")
    async def get_tablet(self, principal: Caller, tablet_id: FromPath[int]) -> TabletOut:
        return await services.get_tablet(principal, tablet_id)

    @patch("/{tablet_id:int}")
    async def update_tablet(self, principal: Caller, tablet_id: FromPath[int], data: JSONBody[TabletPatch]) -> TabletOut:
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
    async def list_donations(self, principal: Caller, limit: Limit = 50, offset: Offset = 0, donor: FromQuery[Donor | None] = None) -> Page[DonationOut]:
        return await services.list_donations(principal, limit, offset, donor)

    @post("/donations")
    async def create_donation(self, principal: Caller, data: JSONBody[DonationIn]) -> DonationOut:
        return await services.create_donation(principal, data)

    @get("/donations/{donation_id:int}")
    async def get_donation(self, principal: Caller, donation_id: FromPath[int]) -> DonationOut:
        return await services.get_donation(principal, donation_id)

    @get("/donors/{donor:str}/report", response_model=None)
    async def donor_report(
        self, principal: Caller, donor: FromPath[Donor], format: FromQuery[Literal["json", "csv", "pdf"]] = "json"
    ) -> DonorReport | Response[bytes]:
        slug = donor.lower().replace(" ", "-")
        if format == "csv":
            return file_response(await donors.donor_report_csv(principal, donor), "text/csv; charset=utf-8", f"donor-{slug}.csv")
        if format == "pdf":
            return pdf_response(await donors.donor_report_pdf(principal, donor), f"donor-{slug}.pdf")
        return await donors.donor_report(principal, donor)


class LabelController(Controller):
    path = "/api/v1/labels.pdf"
    tags = ["tablets"]

    @get("/")
    async def labels(self, request: Request, principal: Caller, tablet_id: FromQuery[list[int] | None] = None) -> Response[bytes]:
        """QR asset labels on an A4 sheet (3 x 8, 70 x 37 mm); without tablet_id, every tablet."""
        from cohorts.tablets import labels  # NOTE: qrcode and reportlab load on the first labels, not at start-up

        content = await labels.labels_pdf(principal, tablet_id or [], str(request.base_url))
        return pdf_response(content, "labels.pdf")
