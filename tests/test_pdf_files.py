"""Every PDF the app makes says what it is and carries its own fonts.

Checked with pypdf, as a PDF reader and an accessibility checker would: the document's
language (/Lang), a real title shown by viewers, a subject and a creator (never
reportlab's "unspecified" placeholders), and every font embedded (a viewer without
Helvetica would otherwise substitute it, and PDF/UA requires embedding).
"""

import io
import zipfile

from pypdf import PdfReader

from cohorts.tables import CourseSession, Loan
from tests.factories import as_role, set_cookie
from tests.factories.handouts import guide_course
from tests.factories.reports import seeded_cohort

PLACEHOLDERS = {"", "untitled", "unspecified", "(unspecified)", "anonymous", "(anonymous)"}


def check_pdf(content: bytes, lang: str, where: str) -> PdfReader:
    reader = PdfReader(io.BytesIO(content))
    root = reader.trailer["/Root"]
    assert root.get("/Lang") == lang, (where, root.get("/Lang"))
    assert root["/ViewerPreferences"]["/DisplayDocTitle"], where
    meta = reader.metadata
    for name in ("title", "subject", "author", "creator"):
        value = getattr(meta, name)
        assert value and value.strip().lower() not in PLACEHOLDERS, (where, name, value)
    assert meta.creator == "Digiystävä", where
    unembedded: set[str] = set()
    for page in reader.pages:
        _embedded, missing = page._get_fonts()
        unembedded |= missing
    assert not unembedded, (where, unembedded)
    return reader


async def test_every_pdf_declares_its_language_title_and_embeds_every_font(client):
    ids = await guide_course()
    report_cohort = await seeded_cohort(ids["location_id"], name="Kevät 2026")
    await as_role(client, "coordinator")
    cohort = ids["cohort_id"]
    session = (await CourseSession.select(CourseSession.id).where(CourseSession.cohort == cohort).first())["id"]
    loan = (await Loan.select(Loan.id).where(Loan.participant == ids["aino"], Loan.returned_at.is_null()).first())["id"]
    paths = [
        f"/api/v1/cohorts/{cohort}/handouts/beginner.pdf",
        f"/api/v1/cohorts/{cohort}/handouts/beginner.pdf?participant_id={ids['aino']}",
        f"/api/v1/cohorts/{cohort}/handouts/trainer.pdf",
        f"/api/v1/cohorts/{cohort}/handouts/volunteer-cards.pdf",
        f"/api/v1/cohorts/{cohort}/schedule.pdf",
        f"/api/v1/sessions/{session}/sign-in.pdf",
        f"/api/v1/cohorts/{cohort}/assessments/paper.pdf",
        f"/api/v1/loans/{loan}/agreement.pdf",
        f"/api/v1/loans/{loan}/reminder.pdf",
        "/api/v1/labels.pdf",
        "/api/v1/donors/DNA/report?format=pdf",
        "/api/v1/volunteers/hours/totals?format=pdf",
        f"/api/v1/reports/outcomes?format=pdf&cohort_id={report_cohort['cohort_id']}",
        f"/api/v1/participants/{ids['aino']}/export?format=pdf",
    ]
    for lang in ("fi", "sv", "en"):
        set_cookie(client, "digiystava_lang", lang)
        for path in paths:
            joiner = "&" if "?" in path else "?"
            response = await client.get(f"{path}{joiner}lang={lang}")
            assert response.status_code == 200 and response.headers["content-type"] == "application/pdf", (
                path,
                response.text[:300],
            )
            if (
                "/sign-in.pdf" in path
                or "/paper.pdf" in path
                or "/agreement.pdf" in path
                or "/reminder.pdf" in path
                or "/export" in path
                or "participant_id" in path
            ):
                # NOTE: a senior's papers are in the senior's language (Aino's is Finnish), whatever the page's.
                check_pdf(response.content, PdfReader(io.BytesIO(response.content)).trailer["/Root"]["/Lang"], path)
            else:
                check_pdf(response.content, lang, path)
    with zipfile.ZipFile(
        io.BytesIO((await client.get(f"/api/v1/cohorts/{cohort}/handouts/beginner.zip")).content)
    ) as archive:
        for name in archive.namelist():
            reader = check_pdf(
                archive.read(name), PdfReader(io.BytesIO(archive.read(name))).trailer["/Root"]["/Lang"], name
            )
            assert reader.trailer["/Root"]["/Lang"] in ("fi", "sv", "en")


async def test_the_label_sheet_speaks_the_page_s_language(client):
    await as_role(client, "coordinator")
    await client.post(
        "/api/v1/tablets",
        json={"serial_number": "R9TW0000001", "model": "Samsung Galaxy Tab A9+", "os": "android", "donor": "DNA"},
    )
    titles = {}
    for lang in ("fi", "sv", "en"):
        set_cookie(client, "digiystava_lang", lang)
        reader = check_pdf((await client.get("/api/v1/labels.pdf")).content, lang, f"labels {lang}")
        titles[lang] = (reader.metadata.title, reader.metadata.subject)
    assert titles["fi"] == ("Digiystävä-tablettien tarrat", "1 tabletin QR-tunnustarrat, 3 x 8 A4-arkilla (70 x 37 mm)")
    assert titles["sv"][0] == "Etiketter för Digiystävä-surfplattor"
    assert titles["en"] == (
        "Digiystävä tablet labels",
        "QR asset labels of 1 tablets, 3 x 8 on an A4 sheet (70 x 37 mm)",
    )
