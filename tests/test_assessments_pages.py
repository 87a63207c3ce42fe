"""The trainer's pages: overview, entry grid without JavaScript, import form, progress; the paper form PDF."""

import re

import pytest

from cohorts.tables import Participant
from tests.factories import as_role, make_location
from tests.factories.assessments import answers, cohort_with_seniors
from tests.pdf_text import page_texts


def page_csrf(html: str) -> str:
    return re.search(r'name="_csrf" value="([^"]+)"', html).group(1)


async def test_paper_form_is_one_large_print_page_per_senior_in_their_language(client):
    location_id, cohort_id, (aino, birgitta, eino, ruth) = await cohort_with_seniors()
    await as_role(client, "trainer", [location_id])
    pseudonym = (await Participant.select(Participant.pseudonym).where(Participant.id == birgitta).first())["pseudonym"]

    one = await client.get(
        f"/api/v1/cohorts/{cohort_id}/assessments/paper.pdf", params={"participant_id": birgitta, "phase": "before"}
    )
    assert one.status_code == 200 and one.headers["content-type"] == "application/pdf"
    pages = page_texts(one.content)
    # The first form has the wishes on its back, named like the front.
    assert len(pages) == 2
    text, back = pages
    assert "Vad skulle du vilja lära dig?" in back and "Birgitta Lindqvist" in back and pseudonym in back
    assert "Söka tidtabeller" in back and "Något annat:" in back
    assert "Birgitta Lindqvist" in text and pseudonym in text and "I början av kursen" in text
    for sentence in ("Jag kan söka information på nätet.", "Jag kan läsa och skriva e-post."):
        assert sentence in text
    for level in (
        "Jag kan inte",
        "Jag kan med hjälp",
        "Jag kan på egen hand",
        "Jag kan med säkerhet",
        "Jag kan hjälpa andra",
        "Jag vill inte svara",
    ):
        assert level in text

    pages = page_texts((await client.get(f"/api/v1/cohorts/{cohort_id}/assessments/paper.pdf")).content)
    assert len(pages) == 4, "one page per senior (the wishes are on the back of the first form only)"
    by_name = {name: next(p for p in pages if name in p) for name in ("Aino Virtanen", "Ruth Ahlström", "Eino Mäkinen")}
    assert "Osaan etsiä tietoa netistä." in by_name["Aino Virtanen"] and "En osaa" in by_name["Aino Virtanen"]
    assert (
        "I can look things up on the internet." in by_name["Ruth Ahlström"]
        and "I can help others" in by_name["Ruth Ahlström"]
    )


async def test_paper_form_with_an_unknown_phase_is_422(client):
    location_id, cohort_id, _ids = await cohort_with_seniors()
    await as_role(client, "trainer", [location_id])
    response = await client.get(f"/api/v1/cohorts/{cohort_id}/assessments/paper.pdf", params={"phase": "during"})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "phase"


async def test_grid_row_saved_as_a_plain_form(client):
    location_id, cohort_id, (aino, birgitta, *_rest) = await cohort_with_seniors()
    await as_role(client, "trainer", [location_id])
    grid = await client.get(f"/cohorts/{cohort_id}/assessments/before")
    assert grid.status_code == 200
    assert 'src="/static/assessments.js"' in grid.text and "<script>" not in grid.text
    assert grid.text.count("<tr data-participant-id=") == 4
    form = {
        "_csrf": page_csrf(grid.text),
        "method": "paper",
        **{code: str(level) for code, level in answers(search=2).items()},
        "games": "",
    }
    saved = await client.post(f"/cohorts/{cohort_id}/assessments/before/{aino}", data=form)
    assert saved.status_code == 303 and f"saved={aino}" in saved.headers["location"]
    record = (await client.get("/api/v1/assessments", params={"participant_id": aino})).json()["items"][0]
    assert record["answers"]["search"] == 2 and record["answers"]["games"] is None and record["method"] == "paper"
    # The same row posted again is a correction, not a conflict.
    again = await client.post(f"/cohorts/{cohort_id}/assessments/before/{aino}", data={**form, "search": "4"})
    assert again.status_code == 303
    assert (await client.get(f"/api/v1/assessments/{record['id']}")).json()["answers"]["search"] == 4
    # A level off the scale comes back as the grid with the error named.
    bad = await client.post(
        f"/cohorts/{cohort_id}/assessments/before/{birgitta}",
        data={**form, "email": "9"},
        headers={"accept": "text/html"},
    )
    assert bad.status_code == 422 and 'class="error-summary"' in bad.text


async def test_grid_pages_answer_404_outside_scope_or_for_another_phase(client):
    location_id, cohort_id, _ids = await cohort_with_seniors()
    await as_role(client, "trainer", [await make_location("Malmin kirjasto", "library", "Malmi")])
    assert (
        await client.get(f"/cohorts/{cohort_id}/assessments/before", headers={"accept": "text/html"})
    ).status_code == 404
    await as_role(client, "trainer", [location_id])
    assert (
        await client.get(f"/cohorts/{cohort_id}/assessments/during", headers={"accept": "text/html"})
    ).status_code == 404


async def test_overview_lists_the_cohorts_with_counts(client):
    location_id, cohort_id, (aino, *_rest) = await cohort_with_seniors()
    await as_role(client, "trainer", [location_id])
    await client.post(
        "/api/v1/assessments",
        json={"participant_id": aino, "cohort_id": cohort_id, "phase": "before", "answers": answers()},
    )
    overview = await client.get("/assessments")
    assert overview.status_code == 200 and "Syksy 2026" in overview.text and "1 / 4 kirjattu" in overview.text


async def test_import_page_shows_row_problems(client):
    location_id, cohort_id, _ids = await cohort_with_seniors()
    await as_role(client, "trainer", [location_id])
    form = await client.get(f"/cohorts/{cohort_id}/assessments-import")
    assert form.status_code == 200
    response = await client.post(
        f"/cohorts/{cohort_id}/assessments-import",
        data={"_csrf": page_csrf(form.text)},
        files={"file": ("forms.csv", b"pseudonym,phase,search\nNOBODY,before,1\n", "text/csv")},
        headers={"accept": "text/html"},
    )
    assert (
        response.status_code == 422 and "Rivi 2, pseudonym" in response.text and "row 2.pseudonym" not in response.text
    )


@pytest.mark.parametrize("lang", ["fi", "en"])
async def test_progress_page_has_a_chart_and_a_table_of_the_same_figures(client, lang):
    location_id, cohort_id, (aino, *_rest) = await cohort_with_seniors()
    await as_role(client, "trainer", [location_id])
    client.cookies.set("digiystava_lang", lang, domain="testserver.local")
    for phase, levels in (("before", answers(search=0, email=None)), ("after", answers(search=3, email=2))):
        await client.post(
            "/api/v1/assessments",
            json={"participant_id": aino, "cohort_id": cohort_id, "phase": phase, "answers": levels},
        )
    response = await client.get(f"/participants/{aino}/progress")
    assert response.status_code == 200
    html = response.text
    assert "<svg" in html and " style=" not in html.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert '<th scope="row">' in html and "+3" in html
    assert ("Searching for information online" if lang == "en" else "Tiedon hakeminen netistä") in html
    assert ("No answer" if lang == "en" else "Ei vastausta") in html


async def test_progress_page_is_404_for_a_senior_elsewhere(client):
    location_id, cohort_id, (aino, *_rest) = await cohort_with_seniors()
    await as_role(client, "trainer", [await make_location("Malmin kirjasto", "library", "Malmi")])
    assert (await client.get(f"/participants/{aino}/progress", headers={"accept": "text/html"})).status_code == 404
