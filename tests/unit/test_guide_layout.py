"""The guides' tailoring and layout without a database: priorities, filled-in blanks, page sizes, no empty pages."""

import datetime as dt
import io
import re

import pytest
from pypdf import PdfReader

from cohorts.handouts.priorities import skill_priorities
from pdf_templates.guide_content import load_guide
from pdf_templates.guide_layout import CardInfo, guide_pdf, volunteer_cards_pdf
from pdf_templates.guide_tailoring import Contact, CourseInfo, RosterLine, SeniorInfo, Session, tailor
from pdf_templates.styles import stylesheet
from tests.pdf_text import page_texts

SESSIONS = tuple(
    Session(
        w,
        dt.date(2026, 9, 7) + dt.timedelta(weeks=w - 1),
        dt.time(13),
        "group" if w % 2 else "practice",
        cancelled=w == 4,
    )
    for w in range(1, 11)
)
COURSE = CourseInfo(
    "Syksy 2026 Kinapori",
    "Kinaporin palvelukeskus",
    "Kinaporinkatu 9",
    90,
    SESSIONS,
    (Contact("Tiina Kouluttaja", "09 310 55555", "tiina@hel.fi"),),
    Contact("Kaisa Koordinaattori", "040 334 4556"),
)
AINO = SeniorInfo(
    "Aino Virtanen", "ipados", "Mikko", skill_priorities(["groceries", "contact"], {"banking": 0, "email": 1})
)


def test_priorities_are_wishes_then_lowest_levels_and_no_answer_is_not_zero():
    # bills and bank both mean the banking chapter; "information" and "timetables" the search chapter.
    assert skill_priorities(["bills", "bank", "timetables"], {}) == ("banking", "search")
    # Answered skills from the lowest up, ties in the form's order; unanswered (None) are left to the usual order.
    assert skill_priorities([], {"music": 2, "email": 0, "games": 0, "search": None}) == ("email", "games", "music")
    assert skill_priorities(["kela"], {"banking": 0}) == ("banking",)


def test_the_help_chapter_names_the_friend_and_the_trainer():
    for lang, friend in (("fi", "Mikko"), ("sv", "Mikko"), ("en", "Mikko")):
        help_chapter = tailor("beginner", lang, COURSE, AINO).guide.chapter("help")
        text = tailor("beginner", lang, COURSE, AINO).chapters[-1].all_text()
        assert friend in text and "Tiina Kouluttaja" in text and "09 310 55555" in text
        assert "Mikko" not in help_chapter.all_text()  # the loaded guide itself is untouched


def test_large_print_is_at_least_14_pt():
    assert (
        stylesheet("large").body.fontSize >= 14
        and stylesheet("larger").body.fontSize > stylesheet("large").body.fontSize
    )


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
@pytest.mark.parametrize("size", ["large", "larger"])
def test_no_page_is_empty(lang, size):
    guides = [
        tailor("beginner", lang, COURSE, AINO),
        tailor("beginner", lang, COURSE),
        tailor(
            "trainer", lang, COURSE, roster=[RosterLine("Aino Virtanen", "ipados", "Mikko"), RosterLine("Olga Ivanova")]
        ),
    ]
    for guide in guides:
        footer = f"{guide.guide.title} – {guide.senior.name if guide.senior else COURSE.cohort_name}"
        for number, text in enumerate(page_texts(guide_pdf(guide, size)), start=1):
            body = re.sub(r"(Sivu|Sida|Page) \d+ (/|of) \d+", "", text.replace(footer, "")).strip()
            # Every page carries more than its footer (even lines to write on have their heading).
            assert len(body) >= 8, (guide.guide.kind, number, text)
    cards = volunteer_cards_pdf([CardInfo("Mikko Laine", "HelsinkiMissio", "Syksy", "Kinapori")] * 3, lang, size)
    assert all("HelsinkiMissio" in text for text in page_texts(cards))


def test_contents_numbers_point_at_the_chapters():
    content = guide_pdf(tailor("beginner", "en", COURSE, AINO))
    reader = PdfReader(io.BytesIO(content))
    contents = page_texts(content)[1]
    # The numbers are drawn last, so they come at the end of the page's text (after its footer), in order.
    numbers = [int(n) for n in re.split(r"Page \d+ of \d+", contents)[-1].split()]
    pages = [reader.get_destination_page_number(item) + 1 for item in reader.outline]
    assert numbers == pages and pages == sorted(pages) and len(set(pages)) == len(pages)
    for item in reader.outline:
        assert item.title in contents
    # The iPad senior's guide has no Android band; the glossary is the last chapter.
    assert reader.outline[-1].title == load_guide("beginner", "en").labels["glossary"]
