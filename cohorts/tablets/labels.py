"""QR asset labels of the chosen tablets; the sheet's layout is in pdf_templates/labels.py."""

from __future__ import annotations

import anyio

from cohorts.tables import Donation, Tablet
from digiystava.access import Principal, require
from digiystava.errors import InvalidInput
from digiystava.i18n import N_
from digiystava.settings import get_settings

MAX_LABELS = 5000


def tablet_url(base_url: str, tablet_id: int) -> str:
    return f"{base_url.rstrip('/')}/tablets/{tablet_id}"


def label_address(request_base_url: str) -> str:
    """Where the QR codes point: the configured public address, else the one the page was opened from."""
    return get_settings().public_url or request_base_url


async def labels_pdf(
    principal: Principal,
    tablet_ids: list[int],
    base_url: str,
    lang: str = "fi",
    *,
    donation_id: int | None = None,
    status: str | None = None,
    donor: str | None = None,
) -> bytes:
    """Labels for the chosen tablets, or every tablet of a delivery or filter (all when none), in asset-tag order."""
    from pdf_templates.labels import TabletLabel, label_sheet  # NOTE: qrcode and reportlab load on first use

    require(principal, "tablets.manage")
    if len(tablet_ids) > MAX_LABELS:
        raise InvalidInput("tablet_id", N_("at most {count} labels at a time", count=MAX_LABELS))
    if donation_id is not None and not await Donation.exists().where(Donation.id == donation_id):
        raise InvalidInput("donation_id", N_("no donation with id {id}", id=donation_id))
    query = Tablet.select(Tablet.id, Tablet.asset_tag, Tablet.model, Tablet.serial_number).order_by(Tablet.asset_tag)
    if tablet_ids:
        query = query.where(Tablet.id.is_in(tablet_ids))
    if donation_id is not None:
        query = query.where(Tablet.donation == donation_id)
    if status:
        query = query.where(Tablet.status == status)
    if donor:
        query = query.where(Tablet.donor == donor)
    rows = await query
    if tablet_ids:
        missing = sorted(set(tablet_ids) - {r["id"] for r in rows})
        if missing and donation_id is None and not status and not donor:
            raise InvalidInput("tablet_id", N_("no tablet with id {id}", id=missing[0]))
    elif len(rows) > MAX_LABELS:
        rows = rows[:MAX_LABELS]
    labels = [TabletLabel(tablet_url(base_url, r["id"]), r["asset_tag"], r["model"], r["serial_number"]) for r in rows]
    return await anyio.to_thread.run_sync(label_sheet, labels, lang)
