"""Guides and handouts: PDFs per cohort and per senior, read back; languages, errors and scope."""

import io
import re
import zipfile

import pytest
from markupsafe import escape
from pypdf import PdfReader

from pdf_templates import pictures
from pdf_templates.guide_content import load_guide
from tests.factories import as_role, make_location, set_cookie
from tests.factories.handouts import guide_course
from tests.pdf_text import pdf_text

PHONE = "09 310 10011"


def outline(content: bytes) -> list[str]:
    """Chapter titles in the order they are printed (the PDF's bookmarks)."""
    reader = PdfReader(io.BytesIO(content))
    return [item.title for item in reader.outline if not isinstance(item, list)]


def first_step(lang: str, skill: str, os: str) -> str:
    return load_guide("beginner", lang).skill_chapter(skill).steps_for(os)[0].items[0]


def titles(lang: str, *skills: str) -> list[str]:
    guide = load_guide("beginner", lang)
    return [guide.skill_chapter(skill).title for skill in skills]


async def get_pdf(client, url: str) -> bytes:
    response = await client.get(url)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    return response.content


async def test_a_seniors_own_guide_is_tailored_to_them(client):
    c = await guide_course()
    await as_role(client, "trainer", [c["location_id"]])
    content = await get_pdf(
        client, f"/api/v1/cohorts/{c['cohort_id']}/handouts/beginner.pdf?participant_id={c['aino']}"
    )
    text = pdf_text(content)
    assert PHONE in text and "Aino Virtanen" in text
    # Her iPad's steps only; her digital friend by first name only; the trainer's and coordinator's contacts.
    assert first_step("fi", "email", "ipados") in text and first_step("fi", "email", "android") not in text
    assert "Mikko" in text and "Laine" not in text
    assert "Tiina Kouluttaja" in text and "09 310 55555" in text and "Kaisa Koordinaattori" in text
    # Every session's date, and the place.
    assert "ma 7.9." in text and "ma 9.11." in text and "Kinaporinkatu 9" in text
    # Wishes first (groceries -> shopping, keeping in touch), then the weakest skills (banking 0, then email 1, ...).
    order = outline(content)
    shopping, contact, banking, email, search = titles("fi", "shopping", "contact", "banking", "email", "search")
    assert (
        order.index(shopping) < order.index(contact) < order.index(banking) < order.index(email) < order.index(search)
    )
    assert PdfReader(io.BytesIO(content)).trailer["/Root"]["/Lang"] == "fi"


async def test_each_senior_gets_their_language_and_their_tablet(client):
    c = await guide_course()
    await as_role(client, "coordinator")
    base = f"/api/v1/cohorts/{c['cohort_id']}/handouts/beginner.pdf"
    # Birgitta reads Swedish and has an Android tablet now (her iPad came back).
    birgitta = pdf_text(await get_pdf(client, f"{base}?participant_id={c['birgitta']}"))
    assert "Birgitta Lindqvist" in birgitta and "Sara" in birgitta and PHONE in birgitta
    assert first_step("sv", "email", "android") in birgitta and first_step("sv", "email", "ipados") not in birgitta
    assert load_guide("beginner", "sv").title in birgitta
    # Ruth reads English and has no tablet yet: both kinds of steps.
    ruth = pdf_text(await get_pdf(client, f"{base}?participant_id={c['ruth']}"))
    assert first_step("en", "email", "android") in ruth and first_step("en", "email", "ipados") in ruth
    # Olga's Russian is not a guide language: Finnish.
    olga = pdf_text(await get_pdf(client, f"{base}?participant_id={c['olga']}"))
    assert load_guide("beginner", "fi").title in olga and "Olga Ivanova" in olga
    # ?lang wins over the senior's own language.
    aino_sv = pdf_text(await get_pdf(client, f"{base}?participant_id={c['aino']}&lang=sv"))
    assert load_guide("beginner", "sv").title in aino_sv and first_step("sv", "email", "ipados") in aino_sv


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
async def test_both_guides_per_cohort_and_per_senior_in_three_languages(client, lang):
    c = await guide_course()
    await as_role(client, "coordinator")
    base = f"/api/v1/cohorts/{c['cohort_id']}/handouts"
    group = pdf_text(await get_pdf(client, f"{base}/beginner.pdf?lang={lang}"))
    assert load_guide("beginner", lang).title in group and PHONE in group and "Syksy 2026 Kinapori" in group
    assert first_step(lang, "email", "android") in group and first_step(lang, "email", "ipados") in group
    own = pdf_text(await get_pdf(client, f"{base}/beginner.pdf?lang={lang}&participant_id={c['aino']}&size=larger"))
    assert "Aino Virtanen" in own and PHONE in own
    trainer = await get_pdf(client, f"{base}/trainer.pdf?lang={lang}")
    text = pdf_text(trainer)
    trainer_guide = load_guide("trainer", lang)
    assert trainer_guide.title in text and trainer_guide.chapters[1].title in text
    # The group's roster with each senior's tablet and friend, and the contacts.
    assert "Aino Virtanen" in text and "Birgitta Lindqvist" in text and "Eino" not in text and "Kalle" not in text
    assert "09 310 55555" in text and "Kaisa Koordinaattori" in text
    assert PdfReader(io.BytesIO(trainer)).trailer["/Root"]["/Lang"] == lang
    same = await get_pdf(client, f"{base}/trainer.pdf?lang={lang}&participant_id={c['aino']}")
    assert trainer_guide.title in pdf_text(same)


async def test_larger_print_has_more_pages(client):
    c = await guide_course()
    await as_role(client, "coordinator")
    base = f"/api/v1/cohorts/{c['cohort_id']}/handouts/beginner.pdf?participant_id={c['aino']}"
    large = PdfReader(io.BytesIO(await get_pdf(client, base)))
    larger = PdfReader(io.BytesIO(await get_pdf(client, base + "&size=larger")))
    assert len(larger.pages) > len(large.pages)


@pytest.mark.parametrize(
    "query, field",
    [
        ("lang=de", "lang"),  # not a guide language
        ("lang=", "lang"),  # empty is not a language either, as on every ?lang
        ("size=huge", "size"),
        ("participant_id={kalle}", "participant_id"),  # on another cohort
        ("participant_id={eino}", "participant_id"),  # dropped out
        ("participant_id=999999", "participant_id"),  # nobody
    ],
)
async def test_bad_language_size_or_senior_is_a_clear_422(client, query, field):
    c = await guide_course()
    await as_role(client, "coordinator")
    for guide in ("beginner", "trainer"):
        response = await client.get(f"/api/v1/cohorts/{c['cohort_id']}/handouts/{guide}.pdf?" + query.format(**c))
        if field is None:
            assert response.status_code == 200
            continue
        assert response.status_code == 422, response.text
        assert response.json()["errors"][0]["field"] == field
    assert (await client.get("/api/v1/cohorts/999999/handouts/beginner.pdf")).status_code == 404


async def test_scope_trainers_see_their_own_locations_only(client):
    c = await guide_course()
    urls = [
        f"/api/v1/cohorts/{c['cohort_id']}/handouts/beginner.pdf",
        f"/api/v1/cohorts/{c['cohort_id']}/handouts/trainer.pdf",
        f"/api/v1/cohorts/{c['cohort_id']}/handouts/beginner.pdf?participant_id={c['aino']}",
        f"/api/v1/cohorts/{c['cohort_id']}/handouts/volunteer-cards.pdf",
        f"/api/v1/cohorts/{c['cohort_id']}/handouts/beginner.zip",
        f"/cohorts/{c['cohort_id']}/guides/beginner",
    ]
    assert (await client.get(urls[0])).status_code == 401
    elsewhere = await make_location("Töölön palvelukeskus")
    await as_role(client, "trainer", [elsewhere])
    for url in urls:
        assert (await client.get(url)).status_code == 404, url
    for role in ("steering", "volunteer"):
        await as_role(client, role)
        for url in urls[:5]:
            assert (await client.get(url)).status_code == 403, (role, url)
    await as_role(client, "trainer", [c["location_id"]])
    for url in urls:
        assert (await client.get(url)).status_code == 200, url


async def test_a_cohorts_personal_guides_come_as_one_zip(client):
    c = await guide_course()
    await as_role(client, "coordinator")
    response = await client.get(f"/api/v1/cohorts/{c['cohort_id']}/handouts/beginner.zip")
    assert response.status_code == 200 and response.headers["content-type"] == "application/zip"
    assert "attachment" in response.headers["content-disposition"]
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = archive.namelist()
    # Enrolled seniors only, sorted by last name, each in their own guide language.
    assert [n.split("-")[1] for n in names] == ["ahlstrom", "ivanova", "lindqvist", "virtanen"]
    assert [n.rsplit("-", 1)[1] for n in names] == ["en.pdf", "fi.pdf", "sv.pdf", "fi.pdf"]
    birgitta = pdf_text(archive.read(names[2]))
    assert "Birgitta Lindqvist" in birgitta and first_step("sv", "email", "ipados") not in birgitta
    everyone_sv = zipfile.ZipFile(
        io.BytesIO((await client.get(f"/api/v1/cohorts/{c['cohort_id']}/handouts/beginner.zip?lang=sv")).content)
    )
    assert all(n.endswith("-sv.pdf") for n in everyone_sv.namelist())
    assert (await client.get(f"/api/v1/cohorts/{c['cohort_id']}/handouts/beginner.zip?lang=xx")).status_code == 422


async def test_volunteer_cards(client):
    c = await guide_course()
    await as_role(client, "coordinator")
    base = f"/api/v1/cohorts/{c['cohort_id']}/handouts/volunteer-cards.pdf"
    every = pdf_text(await get_pdf(client, base))
    assert (
        "Mikko Laine" in every
        and "Sara Ström" in every
        and "HelsinkiMissio" in every
        and "Kinaporin palvelukeskus" in every
    )
    assert "Digiystävä ei koskaan pyydä pankkitunnuksiasi, salasanojasi tai rahaa." in every
    one = pdf_text(await get_pdf(client, f"{base}?volunteer_id={c['sara']}&lang=en"))
    assert (
        "Sara Ström" in one
        and "Mikko" not in one
        and "A digital friend never asks for your bank codes, passwords or money." in one
    )
    response = await client.get(f"{base}?volunteer_id=999999")
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "volunteer_id"
    empty = await client.get(f"/api/v1/cohorts/{c['other_cohort']}/handouts/volunteer-cards.pdf")
    assert empty.status_code == 422


async def test_guide_pages_for_the_tablet_and_screen_readers(client):
    c = await guide_course()
    await as_role(client, "trainer", [c["location_id"]])
    page = await client.get(
        f"/cohorts/{c['cohort_id']}/guides/beginner?participant_id={c['birgitta']}", headers={"accept": "text/html"}
    )
    assert page.status_code == 200
    html = page.text
    assert '<article class="guide" lang="sv">' in html and "Birgitta Lindqvist" in html
    assert '<ol class="guide-steps">' in html and "<h1>" in html and 'class="guide-tip"' in html
    assert first_step("sv", "email", "android") in html and first_step("sv", "email", "ipados") not in html
    # The same pictures as in print, each with its text alternative; an Android senior sees no iPad.
    assert f'alt="{escape(pictures.alt_text("icon", "settings", "sv"))}"' in html
    assert f'alt="{escape(pictures.alt_text("tablet", "android", "sv"))}"' in html
    assert f'alt="{escape(pictures.alt_text("tablet", "ipad", "sv"))}"' not in html
    assert f'alt="{escape(pictures.alt_text("scene", "email", "sv"))}"' in html
    images = re.findall(r"<img [^>]*>", html)
    assert len(images) >= 60 and all(' alt="' in image for image in images)
    assert (
        f"/api/v1/cohorts/{c['cohort_id']}/handouts/beginner.pdf?participant_id={c['birgitta']}&amp;lang=sv" in html
        or f"/api/v1/cohorts/{c['cohort_id']}/handouts/beginner.pdf?participant_id={c['birgitta']}&lang=sv" in html
    )
    trainer = await client.get(f"/cohorts/{c['cohort_id']}/guides/trainer?lang=en", headers={"accept": "text/html"})
    assert (
        trainer.status_code == 200
        and 'lang="en"' in trainer.text
        and str(escape(load_guide("trainer", "en").title)) in trainer.text
    )
    bad = await client.get(f"/cohorts/{c['cohort_id']}/guides/beginner?lang=zz", headers={"accept": "text/html"})
    assert bad.status_code == 422
    outside = await client.get(
        f"/cohorts/{c['cohort_id']}/guides/beginner?participant_id={c['kalle']}", headers={"accept": "text/html"}
    )
    assert outside.status_code == 422
    # Links from the cohort's page and from the senior's page.
    cohort_page = (await client.get(f"/cohorts/{c['cohort_id']}")).text
    assert (
        f"/api/v1/cohorts/{c['cohort_id']}/handouts/trainer.pdf" in cohort_page
        and f"/cohorts/{c['cohort_id']}/guides/beginner" in cohort_page
    )
    senior_page = (await client.get(f"/participants/{c['aino']}")).text
    assert f"/cohorts/{c['cohort_id']}/guides/beginner?participant_id={c['aino']}" in senior_page


async def test_the_trainers_guide_links_carry_the_pages_language(client):
    c = await guide_course()
    await as_role(client, "trainer", [c["location_id"]])
    set_cookie(client, "digiystava_lang", "sv")
    cohort_page = (await client.get(f"/cohorts/{c['cohort_id']}")).text
    printed = f"/api/v1/cohorts/{c['cohort_id']}/handouts/trainer.pdf?lang=sv"
    on_screen = f"/cohorts/{c['cohort_id']}/guides/trainer?lang=sv"
    assert f'href="{printed}"' in cohort_page and f'href="{on_screen}"' in cohort_page
    # A Swedish-speaking trainer gets the Swedish guide, printed and on screen.
    guide = await client.get(on_screen, headers={"accept": "text/html"})
    assert '<article class="guide" lang="sv">' in guide.text
    assert str(escape(load_guide("trainer", "sv").title)) in guide.text
    assert str(escape(load_guide("trainer", "sv").title)) in pdf_text(await get_pdf(client, printed))


@pytest.mark.parametrize(
    ("lang", "seeing", "hands"),
    [
        ("fi", "näkeminen", "käsien käyttö"),
        ("sv", "att se", "att använda händerna"),
        ("en", "seeing", "using the hands"),
    ],
)
async def test_the_trainers_guide_lists_each_seniors_accessibility_needs(client, lang, seeing, hands):
    from cohorts.tables import Participant

    c = await guide_course()
    await Participant.update({Participant.accessibility_needs: ["sight", "hands"]}).where(Participant.id == c["aino"])
    await as_role(client, "coordinator")
    text = pdf_text(await get_pdf(client, f"/api/v1/cohorts/{c['cohort_id']}/handouts/trainer.pdf?lang={lang}"))
    flat = " ".join(text.split())
    assert f"{seeing}, {hands}" in flat, flat[-800:]
    assert {"fi": "Tarvitsee tukea", "sv": "Behöver stöd med", "en": "Needs help with"}[lang] in flat
