"""The audit log, a tablet's history and the record of processing read in the page's language."""

import re

from tests.factories import as_role, make_location
from tests.factories.tablets import make_course, make_tablet
from tests.test_loans import lend


def _cells(html: str, after: str = "") -> list[str]:
    body = html.split(after, 1)[1] if after else html
    body = body.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", body, re.S)]


async def test_the_audit_log_names_actions_records_and_fields_in_the_pages_language(client):
    await as_role(client, "coordinator")
    location = await make_location()
    created = await client.post(
        "/api/v1/participants",
        json={
            "first_name": "Elsa",
            "last_name": "Nieminen",
            "language": "fi",
            "location_id": location,
            "consent_given_on": "2026-11-30",
        },
    )
    assert created.status_code == 201, created.text
    await client.patch(f"/api/v1/participants/{created.json()['id']}", json={"phone": "040 765 4321"})
    finnish = _cells((await client.get("/audit?entity=participant", headers={"accept": "text/html"})).text)
    assert "Muutettu" in finnish and "Luotu" in finnish and "Puhelin" in finnish
    assert f"Seniori {created.json()['id']}" in finnish
    assert not {"create", "update", "phone"} & set(finnish)
    assert not any(cell.startswith("participant ") for cell in finnish)

    await client.get("/language/sv?next=/")
    swedish = _cells((await client.get("/audit?entity=participant", headers={"accept": "text/html"})).text)
    assert "Ändrad" in swedish and "Telefon" in swedish
    # The filter offers the record types by name, not by code.
    page = (await client.get("/audit", headers={"accept": "text/html"})).text
    assert '<option value="participant" selected' not in page and ">Senior</option>" in page


async def test_a_tablets_history_reads_in_the_pages_language(client):
    await as_role(client, "coordinator")
    course = await make_course()
    tablet = await make_tablet()
    loan = await lend(client, tablet, course, due_date="2027-01-15")
    assert loan.status_code == 201, loan.text
    back = await client.post(
        f"/api/v1/loans/{loan.json()['id']}/return",
        json={"condition": "damaged", "wiped": False, "checklist": {"charger": True, "cable": False}},
    )
    assert back.status_code == 200, back.text
    cells = _cells((await client.get(f"/tablets/{tablet}", headers={"accept": "text/html"})).text, "<caption>Historia")
    text = " | ".join(cells)
    assert "Palautettava 15.1.2027" in text, text
    assert "Kunto: " in text and "puuttuu: " in text
    assert "Odottaa tietojen tyhjennystä" in text or "Vaurioitunut" in text
    assert not re.search(r"\bdue 20|\bcondition \w|missing:|waiting for data wipe", text), text


async def test_the_record_of_processing_is_in_the_pages_language(client):
    await as_role(client, "coordinator")
    finnish = (await client.get("/privacy/processing", headers={"accept": "text/html"})).text
    assert '<article lang="fi"' in finnish and "<h1>Seloste käsittelytoimista" in finnish
    assert "Rekisterinpitäjä" in finnish and "Controller" not in finnish
    swedish = (await client.get("/privacy/processing?lang=sv", headers={"accept": "text/html"})).text
    assert '<article lang="sv"' in swedish and "Personuppgiftsansvarig" in swedish
    english = (await client.get("/privacy/processing?lang=en", headers={"accept": "text/html"})).text
    assert "Record of processing" in english
