"""Every import route takes a file of up to 10 MB; a larger one gets a 413 that names the limit.

A coordinator's delivery list or a trainer's spreadsheet of typed-in forms can pass a
megabyte, the limit of every other request; past ten megabytes the answer must say what
to do (split the file), in the page's language on a page and in English for the API,
not "something went wrong, try again".
"""

import pytest

from tests.factories import as_role, make_cohort, make_location

MB = 1024 * 1024
HEADER = b"serial_number,model,os,donor\n"


def _send(kind: str, content: bytes, csrf: str) -> dict:
    if kind == "api":
        return {"files": {"file": ("file.csv", content, "text/csv")}}
    return {
        "files": {"file": ("file.csv", content, "text/csv")},
        "data": {"_csrf": csrf},
        "headers": {"accept": "text/html"},
    }


ROUTES = [
    ("api", "/api/v1/tablets/import"),
    ("page", "/tablets/import"),
    ("api", "/api/v1/cohorts/{cohort}/assessments/import"),
    ("page", "/cohorts/{cohort}/assessments-import"),
]


@pytest.mark.parametrize(("kind", "path"), ROUTES, ids=[p for _k, p in ROUTES])
async def test_an_import_takes_ten_megabytes_and_names_the_limit_past_them(client, kind, path):
    await as_role(client, "coordinator")
    path = path.format(cohort=await make_cohort(await make_location()))
    csrf = client.headers["X-CSRFToken"]

    # Two megabytes: past the limit of other requests, so refused for what the file says, not for its size.
    answer = await client.post(path, **_send(kind, HEADER + b"x" * (2 * MB), csrf))
    assert answer.status_code == 422, answer.text[:300]

    too_large = await client.post(path, **_send(kind, HEADER + b"x" * (11 * MB), csrf))
    assert too_large.status_code == 413
    if kind == "api":
        assert too_large.headers["content-type"].startswith("application/problem+json")
        assert too_large.json()["detail"].startswith("At most 10 MB can be sent at once.")
    else:
        assert too_large.headers["content-type"].startswith("text/html")
        assert "Tämä on liian suuri lähetettäväksi." in too_large.text
        assert "Kerralla voi lähettää enintään 10 Mt." in too_large.text
        assert "Yritä uudelleen" not in too_large.text


async def test_any_other_request_past_a_megabyte_names_its_own_limit(client):
    await as_role(client, "coordinator")
    body = {"name": "x" * (2 * MB), "kind": "library"}
    answer = await client.post("/api/v1/locations", json=body)
    assert answer.status_code == 413
    assert answer.json()["detail"].startswith("At most 1 MB can be sent at once.")


async def test_the_page_of_a_file_too_large_leads_back_to_the_form(client):
    """The person who sent too large a file goes back to the form they came from, not only home."""
    await as_role(client, "coordinator")
    csrf = client.headers["X-CSRFToken"]
    sent = _send("page", HEADER + b"x" * (11 * MB), csrf)
    sent["headers"]["referer"] = f"{client.base_url}/tablets/import"
    answer = await client.post("/tablets/import", **sent)
    assert answer.status_code == 413
    assert '<a href="/tablets/import">Takaisin edelliselle sivulle</a>' in answer.text
    assert '<a href="/">Takaisin etusivulle</a>' in answer.text
