"""The outcome report over HTTP and the command line: formats, roles, privacy, user text as typed."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from tests.factories import as_role, make_location
from tests.factories.reports import SENIOR_NAMES, seeded_cohort, small_cohort
from tests.pdf_text import pdf_text

URL = "/api/v1/reports/outcomes"
# NOTE: markup, an ampersand, a dollar sign (matplotlib's maths mode) and Arabic in one name.
TRICKY = "<b>R&D</b> $5 kurssi علي"


def assert_no_senior_names(text: str) -> None:
    for first, last in SENIOR_NAMES:
        assert first not in text and last not in text


@pytest.mark.parametrize("fmt", ["json", "html", "pdf"])
async def test_steering_reads_every_format_without_a_single_name(client, db, fmt):
    seeded = await seeded_cohort()
    await as_role(client, "steering")
    response = await client.get(URL, params={"cohort_id": seeded["cohort_id"], "format": fmt, "lang": "en"})
    assert response.status_code == 200, response.text
    if fmt == "json":
        body = response.json()
        assert body["course"]["seniors"] == 6 and len(body["skills"]) == 13
        assert body["summary"][0].startswith("Courses: 1")
        text = response.text
    elif fmt == "html":
        text = response.text
        assert "<svg" in text and 'role="img"' in text and "<figcaption" in text
        assert 'scope="col"' in text and 'scope="row"' in text
        assert not re.search(r"<svg[\s\S]*?\sstyle=", text), "inline style attributes are blocked by the CSP"
        assert "Courses: 1; seniors: 6" in text
    else:
        assert response.headers["content-type"] == "application/pdf"
        reader = PdfReader(io.BytesIO(response.content))
        text = pdf_text(response.content)
        assert len(reader.pages) >= 5
        assert sum(len(page.images) for page in reader.pages) >= 2  # the before/after and level charts
        for words in (
            "Digiystävä outcome report",
            "Summary",
            "Levels",
            "Change and test",
            "Method",
            "Holm",
            "Page 1 of",
        ):
            assert words in text
        assert "5 of 6 seniors can now pay bills online" in text
    assert_no_senior_names(text)


async def test_a_small_scope_is_suppressed_in_every_format(client, db):
    location = await make_location()
    small = await small_cohort(location, 4, first_name="Hildegard")
    await as_role(client, "steering")
    params = {"cohort_id": small["cohort_id"], "lang": "en"}
    body = (await client.get(URL, params=params)).json()
    assert body["suppressed"] and body["course"]["seniors"] is None and body["skills"] == []
    html = (await client.get(URL, params={**params, "format": "html"})).text
    assert "Fewer than 5 seniors" in html and "<svg" not in html
    pdf = (await client.get(URL, params={**params, "format": "pdf"})).content
    assert "Fewer than 5 seniors" in pdf_text(pdf)
    assert not any(page.images for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.mark.parametrize("fmt", ["json", "html", "pdf"])
async def test_a_name_with_markup_and_right_to_left_text_prints_as_typed(client, db, fmt):
    from pdf_templates.styles import plain_text

    location = await make_location(TRICKY)
    await seeded_cohort(location, name=TRICKY)
    await seeded_cohort(location, name="Toinen ryhmä")
    await as_role(client, "steering")
    response = await client.get(URL, params={"location_id": location, "compare": "cohort", "format": fmt, "lang": "en"})
    assert response.status_code == 200, response.text
    if fmt == "json":
        assert response.json()["scope_title"] == f"Location: {TRICKY}"
        assert any(g["label"] == f"{TRICKY} – {TRICKY}" for g in response.json()["groups"])
    elif fmt == "html":
        assert "&lt;b&gt;R&amp;D&lt;/b&gt; $5 kurssi علي" in response.text and "<b>R&D" not in response.text
    else:
        reader = PdfReader(io.BytesIO(response.content))
        assert TRICKY in reader.metadata.title
        # NOTE: layout mode keeps a line's left-to-right and right-to-left runs together.
        text = "\n".join(page.extract_text(extraction_mode="layout") for page in reader.pages)
        assert f"Location: <b>R&D</b> $5 kurssi {plain_text('علي')}" in text
        assert sum(len(page.images) for page in reader.pages) >= 3  # with the change across the two cohorts


async def test_roles(client, db):
    mine = await make_location("Oma paikka")
    other = await make_location("Muu paikka")
    own = await seeded_cohort(mine)
    foreign = await seeded_cohort(other, name="Muu kurssi")
    await as_role(client, "coordinator")
    assert (await client.get(URL, params={"donor": "DNA"})).status_code == 200
    await as_role(client, "trainer", [mine])
    assert (await client.get(URL, params={"cohort_id": own["cohort_id"]})).status_code == 200
    assert (await client.get(URL, params={"location_id": mine})).status_code == 200
    assert (await client.get(URL, params={"cohort_id": foreign["cohort_id"]})).status_code == 404
    assert (await client.get(URL, params={"location_id": other})).status_code == 404
    assert (await client.get(URL)).status_code == 403  # a trainer names a cohort or location
    assert (await client.get(URL, params={"district": "Kallio"})).status_code == 403
    await as_role(client, "volunteer")
    assert (await client.get(URL)).status_code == 403
    assert (await client.get("/reports")).status_code == 403
    client.cookies.clear()
    client.headers.pop("X-CSRFToken", None)
    assert (await client.get(URL)).status_code == 401


@pytest.mark.parametrize(
    "params, field",
    [
        ({"cohort_id": "abc"}, "cohort_id"),  # not a number
        ({"from": "1.9.2026"}, "from"),  # not an ISO date
        ({"from": "2026-09-01", "to": "2026-01-01"}, "to"),  # backwards
        ({"kind": "castle"}, "kind"),
        ({"donor": "Nokia"}, "donor"),
        ({"compare": "district"}, "compare"),
    ],
)
async def test_bad_scopes_name_the_field(client, db, params, field):
    await as_role(client, "steering")
    response = await client.get(URL, params=params)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == field


async def test_unknown_cohort_is_404(client, db):
    await as_role(client, "steering")
    assert (await client.get(URL, params={"cohort_id": 999})).status_code == 404


async def test_steering_pages_point_to_reports(client, db):
    seeded = await seeded_cohort()
    await as_role(client, "steering")
    home = (await client.get("/")).text
    assert 'href="/reports"' in home and 'href="/reports/outcomes"' in home
    picker = await client.get("/reports")
    assert picker.status_code == 200 and 'name="cohort_id"' in picker.text and 'name="compare"' in picker.text
    assert_no_senior_names(picker.text)
    # The picker sends every field; empty ones mean "any".
    page = await client.get(
        "/reports/outcomes",
        params={
            "cohort_id": seeded["cohort_id"],
            "location_id": "",
            "kind": "",
            "district": "",
            "donor": "",
            "from": "",
            "to": "",
            "compare": "",
            "lang": "sv",
        },
    )
    assert page.status_code == 200, page.text
    assert 'lang="sv"' in page.text and "Sammanfattning" in page.text
    assert 'aria-current="page"' in page.text and "/api/v1/reports/outcomes?cohort_id=" in page.text
    assert_no_senior_names(page.text)


async def test_a_repeated_report_draws_no_chart_again(client, db):
    from digiystava.reports.charts import chart_cache

    seeded = await seeded_cohort()
    await as_role(client, "steering")
    params = {"cohort_id": seeded["cohort_id"], "format": "pdf", "lang": "fi"}
    await client.get(URL, params=params)
    misses = chart_cache.misses
    again = await client.get(URL, params=params)
    assert again.status_code == 200 and chart_cache.misses == misses


async def test_command_line_writes_the_pdf(db, database_urls, tmp_path):
    from tests.factories.commands import on_database

    url = database_urls["postgres" if db.engine_type == "postgres" else "sqlite"]
    seeded = await seeded_cohort()
    out = tmp_path / "report.pdf"
    result = on_database(
        url, "report", "outcomes", "--cohort", str(seeded["cohort_id"]), "--lang", "sv", "--out", str(out)
    )
    assert result.returncode == 0, result.stderr
    text = pdf_text(out.read_bytes())
    assert "Sammanfattning" in text and "Metod" in text
    assert_no_senior_names(text)
    unknown = on_database(url, "report", "outcomes", "--cohort", "99999", "--out", str(out))
    assert unknown.returncode == 1 and unknown.stderr.strip().splitlines() == ["digiystava report: No such cohort."]
