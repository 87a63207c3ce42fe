"""One error format: RFC 9457 problem details, never a 500 for bad input, never a trace."""

import pytest

from tests.factories import as_role


@pytest.fixture
async def coordinator(client):
    await as_role(client, "coordinator")
    return client


@pytest.mark.parametrize(
    "body, status, field",
    [
        ('{"name": "Oodi"', 400, None),  # malformed JSON
        ('{"name": "Oodi", "kind": "zoo"}', 422, "kind"),  # unknown enum value
        ('{"name": "Oo\\u0000di", "kind": "library"}', 422, "name"),  # NUL byte in a string
        ('{"name": "", "kind": "library"}', 422, "name"),  # empty required text
        ('{"name": "Oodi", "kind": "library", "colour": "red"}', 422, "colour"),  # unknown field
        ("[1, 2, 3]", 422, "body"),  # not an object
        ('{"name": "' + "x" * 500 + '", "kind": "library"}', 422, "name"),  # too long
    ],
)
async def test_bad_input_is_a_problem_naming_the_field(coordinator, body, status, field):
    response = await coordinator.post("/api/v1/locations", content=body, headers={"content-type": "application/json"})
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["status"] == status and problem["title"] and problem["detail"]
    if field:
        assert field in [e["field"] for e in problem["errors"]]


async def test_body_over_one_megabyte_is_413(coordinator):
    body = '{"name": "' + "x" * (2 * 1024 * 1024) + '", "kind": "library"}'
    response = await coordinator.post("/api/v1/locations", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert response.json()["status"] == 413


@pytest.mark.parametrize(
    "query, field",
    [
        ("limit=0", "limit"),  # an empty page
        ("limit=100000", "limit"),  # more than a page may hold
        ("offset=-1", "offset"),  # before the first row
        ("limit=abc", "limit"),  # not a number
    ],
)
async def test_bad_paging_is_a_422_naming_the_parameter(coordinator, query, field):
    response = await coordinator.get(f"/api/v1/locations?{query}")
    assert response.status_code == 422
    assert response.json()["status"] == 422 and [e["field"] for e in response.json()["errors"]] == [field]


async def test_unexpected_error_is_a_500_problem_with_request_id_and_no_trace(coordinator, monkeypatch, caplog):
    from cohorts.locations import services

    async def explode(*args, **kwargs):
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(services, "list_locations", explode)
    response = await coordinator.get("/api/v1/locations")
    assert response.status_code == 500
    problem = response.json()
    assert problem["request_id"] and "secret internal detail" not in response.text and "Traceback" not in response.text


async def test_unknown_route_is_a_404_problem(coordinator):
    response = await coordinator.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_security_headers_on_every_response(client):
    for path in ("/health", "/login", "/api/v1/me", "/static/app.css"):
        response = await client.get(path)
        csp = response.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in csp and "'unsafe-inline'" not in csp
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"]
        if not path.startswith("/static"):
            assert response.headers["cache-control"] == "no-store"


async def test_openapi_schema_is_published(client):
    response = await client.get("/schema/openapi.json")
    assert response.status_code == 200
    assert "/api/v1/locations" in response.json()["paths"]


@pytest.mark.parametrize(
    ("referer", "back"),
    [
        # A page of this site: back to it, its query written as HTML wants it.
        ("{site}/tablets?status=lent&page=2", "/tablets?status=lent&amp;page=2"),
        # What a crafted link puts in the query stays text in the attribute.
        ('{site}/tablets?q="><script>alert(1)</script>', "/tablets?q=&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("https://elsewhere.example/tablets", None),  # another site's page is never linked
        ("{site}//elsewhere.example/x", None),  # nor a path a browser would read as another site
        ("{site}/\\elsewhere.example/x", None),
        ("{site}/no-such-page", None),  # the failing page itself
        ("", None),
    ],
)
async def test_an_error_page_leads_back_only_to_this_sites_page_the_person_came_from(coordinator, referer, back):
    headers = {"accept": "text/html"}
    if referer:
        headers["referer"] = referer.format(site=coordinator.base_url)
    page = await coordinator.get("/no-such-page", headers=headers)
    assert page.status_code == 404
    assert '<a href="/">Takaisin etusivulle</a>' in page.text  # the error page, in Finnish
    assert "<script>alert" not in page.text
    if back is None:
        assert "Takaisin edelliselle sivulle" not in page.text
    else:
        assert f'<a href="{back}">Takaisin edelliselle sivulle</a>' in page.text
