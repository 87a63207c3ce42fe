"""QR asset labels of the chosen tablets; the sheet's layout is in pdf_templates/labels.py."""

from __future__ import annotations

import anyio

from cohorts.tables import Tablet
from digiystava.access import Principal, require
from digiystava.errors import InvalidInput
from digiystava.i18n import N_

MAX_LABELS = 5000


def tablet_url(base_url: str, tablet_id: int) -> str:
    return f"{base_url.rstrip('/')}/tablets/{tablet_id}"


async def labels_pdf(principal: Principal, tablet_ids: list[int], base_url: str, lang: str = "fi") -> bytes:
    """Labels for the chosen tablets, or for every tablet in asset-tag order when none are chosen."""
    from pdf_templates.labels import TabletLabel, label_sheet  # NOTE: qrcode and reportlab load on first use

    require(principal, "tablets.manage")
    if len(tablet_ids) > MAX_LABELS:
        raise InvalidInput("tablet_id", N_("at most {count} labels at a time", count=MAX_LABELS))
    query = Tablet.select(Tablet.id, Tablet.asset_tag, Tablet.model, Tablet.serial_number).order_by(Tablet.asset_tag)
    if tablet_ids:
        query = query.where(Tablet.id.is_in(tablet_ids))
    rows = await query
    if tablet_ids:
        missing = sorted(set(tablet_ids) - {r["id"] for r in rows})
        if missing:
            raise InvalidInput("tablet_id", N_("no tablet with id {id}", id=missing[0]))
    elif len(rows) > MAX_LABELS:
        rows = rows[:MAX_LABELS]
    labels = [TabletLabel(tablet_url(base_url, r["id"]), r["asset_tag"], r["model"], r["serial_number"]) for r in rows]
    return await anyio.to_thread.run_sync(label_sheet, labels, lang)
