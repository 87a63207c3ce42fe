"""Printing labels for a whole delivery or a filter, with QR codes that lead back to this tracker."""

import pytest

from digiystava.settings import get_settings
from tests.factories import as_role
from tests.factories.tablets import make_donation, make_tablet
from tests.pdf_text import pdf_text


async def _tags(*ids: int) -> list[str]:
    from cohorts.tables import Tablet

    rows = await Tablet.select(Tablet.id, Tablet.asset_tag).where(Tablet.id.is_in(list(ids)))
    return [r["asset_tag"] for r in sorted(rows, key=lambda r: ids.index(r["id"]))]


async def test_labels_of_one_delivery_and_of_a_filter(client):
    await as_role(client, "coordinator")
    delivery = await make_donation("DNA", reference="DNA-2026-07")
    other = await make_donation("Vanhusten turva", reference="VT-1")
    ours = [await make_tablet(donation_id=delivery) for _ in range(3)]
    theirs = await make_tablet(donor="Vanhusten turva", donation_id=other, status="maintenance")
    ours_tags, (theirs_tag,) = await _tags(*ours), await _tags(theirs)

    sheet = await client.get(f"/api/v1/labels.pdf?donation_id={delivery}")
    assert sheet.status_code == 200, sheet.text
    text = pdf_text(sheet.content)
    assert all(tag in text for tag in ours_tags) and theirs_tag not in text

    filtered = pdf_text((await client.get("/api/v1/labels.pdf?status=maintenance")).content)
    assert theirs_tag in filtered and not any(tag in filtered for tag in ours_tags)
    by_donor = pdf_text((await client.get("/api/v1/labels.pdf?donor=DNA")).content)
    assert all(tag in by_donor for tag in ours_tags) and theirs_tag not in by_donor

    missing = await client.get("/api/v1/labels.pdf?donation_id=999999")
    assert missing.status_code == 422 and missing.json()["errors"][0]["field"] == "donation_id"

    # The pages offer both: a delivery's labels on the donations page, the filter's on the inventory.
    donations = await client.get("/donations", headers={"accept": "text/html"})
    assert f'href="/api/v1/labels.pdf?donation_id={delivery}"' in donations.text
    inventory = await client.get("/tablets?status=maintenance", headers={"accept": "text/html"})
    assert 'href="/api/v1/labels.pdf?status=maintenance&amp;' in inventory.text


@pytest.fixture
def printed_addresses(monkeypatch):
    """The addresses put in QR codes, as the label sheet draws them."""
    from cohorts.tablets import labels

    drawn: list[str] = []
    real = labels.tablet_url
    monkeypatch.setattr(labels, "tablet_url", lambda base, tablet_id: drawn.append(real(base, tablet_id)) or drawn[-1])
    return drawn


async def test_qr_codes_point_at_the_address_the_page_was_opened_from(client, printed_addresses):
    await as_role(client, "coordinator")
    tablet = await make_tablet()
    assert (await client.get(f"/api/v1/labels.pdf?tablet_id={tablet}")).status_code == 200
    assert printed_addresses == [f"{client.base_url}/tablets/{tablet}".replace("//tablets", "/tablets")]
    assert printed_addresses[0].startswith("http://testserver.local/")
    # Behind a proxy under another name: the host the browser asked for.
    await client.get(f"/api/v1/labels.pdf?tablet_id={tablet}", headers={"host": "digiystava.example.fi"})
    assert printed_addresses[-1] == f"http://digiystava.example.fi/tablets/{tablet}"


async def test_a_configured_public_address_wins(client, printed_addresses, monkeypatch):
    await as_role(client, "coordinator")
    tablet = await make_tablet()
    monkeypatch.setenv("DIGIYSTAVA_BASE_URL", "https://digiystava.hel.fi/")
    get_settings.cache_clear()
    try:
        assert (await client.get(f"/api/v1/labels.pdf?tablet_id={tablet}")).status_code == 200
    finally:
        monkeypatch.delenv("DIGIYSTAVA_BASE_URL")
        get_settings.cache_clear()
    assert printed_addresses == [f"https://digiystava.hel.fi/tablets/{tablet}"]
