"""The guides' pictures: named in the content files, drawn once, shown beside their steps, in print and on screen."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader
from reportlab.lib.units import mm

from assessments.instrument import current_instrument
from digiystava.i18n import LANGUAGES
from pdf_templates import pictures
from pdf_templates.guide_content import (
    GuideFormatError,
    load_guide,
    parse_chapter_text,
    volunteer_card,
)
from pdf_templates.guide_layout import CardInfo, _look, _with_pictures, guide_pdf, volunteer_cards_pdf
from pdf_templates.guide_tailoring import CourseInfo, SeniorInfo, tailor
from pdf_templates.pictures import gestures, icons, scenes
from pdf_templates.pictures.ink import BLACK, BLUE, PALE, WHITE
from pdf_templates.styles import para, stylesheet
from tests.pdf_text import page_texts

COURSE = CourseInfo("Syksy 2026 Kinapori", "Kinaporin palvelukeskus")

# Words that name a button, an icon or a finger movement, per language. A chapter that uses one
# must show at least one picture.
NAMES_SOMETHING = {
    "fi": r"kuvake|painike|napauta|pyyhkäise|paina pitkään|nipistä|levitä|vieritä|vedä|näppäile",
    "sv": r"ikon|symbol|knapp|tryck|svep|nyp|bläddra|\bdra\b",
    "en": r"icon|button|\btap|swipe|pinch|spread|scroll|drag|long press|\btype",
}
# A step that names one of these must show it (English; check_guides keeps the other languages'
# pictures the same, step by step). Plain "tap" on a word of the screen needs no picture: the tap
# pictogram is taught in the finger-movements chapter, and beside every step it would bury the rest.
STEP_NAMES = re.compile(
    r"\b(icon|swip\w*|scroll\w*|pinch\w*|spread\w*|long press|drag\w*|double tap|power button|home button|"
    r"volume buttons?|type|typing)\b",
    re.IGNORECASE,
)


def test_every_picture_is_drawn_and_named_in_three_languages():
    drawn = {"icon": set(icons.ICONS), "gesture": set(gestures.GESTURES), "scene": set(scenes.SCENES)}
    drawn["tablet"] = {"android", "ipad"}
    for kind in pictures.PICTURE_KINDS:
        assert set(pictures.picture_names(kind)) == drawn[kind], kind
        for name in pictures.picture_names(kind):
            for lang in LANGUAGES:
                assert pictures.label(kind, name, lang).strip(), (kind, name, lang)
                assert len(pictures.alt_text(kind, name, lang)) > len(pictures.label(kind, name, lang)), (kind, name)
    # The list: every gesture the guide teaches and the icons seniors look for.
    assert {"tap", "double-tap", "long-press", "swipe-left", "scroll", "pinch", "spread", "drag", "type"} <= drawn[
        "gesture"
    ] and "quick-settings" in drawn["gesture"]
    assert {
        *"power wifi settings camera photos email browser calendar app-store share back home search".split(),
        "microphone",
        "lock",
    } <= drawn["icon"]
    assert set(current_instrument().skill_codes) == drawn["scene"]  # each skill chapter opens with its own picture


@pytest.mark.parametrize(
    "line, words",
    [
        ("1. Tap it. [icon: wfi]", "unknown picture '[icon: wfi]'"),  # a misspelt name
        ("1. Tap it. [ikon: wifi]", "unknown kind of picture"),  # a misspelt kind
        ("1. Tap [it].", "square brackets are for pictures"),
        ("## Heading [icon: wifi]", "a heading cannot name a picture"),
    ],
)
def test_an_unknown_picture_names_the_file_and_line(line, words):
    with pytest.raises(GuideFormatError) as error:
        parse_chapter_text(f"# Title\n\n{line}\n", "fi/beginner/11-email.md")
    assert words in str(error.value) and "11-email.md, line 3" in str(error.value)


def test_pictures_are_read_from_steps_paragraphs_and_lines_of_their_own():
    title, blocks = parse_chapter_text(
        "# T\n\n1. Tap Settings. [icon: settings]\n2. Tap Wi-Fi.\n   Then wait. [icon: wifi]\n\n[tablet: ipad]\n\n"
        "::: tip\nNo pictures here.\n:::\n"
    )
    steps, tablet, tip = blocks
    assert steps.items == ("Tap Settings.", "Tap Wi-Fi. Then wait.")
    assert [p.marker for p in steps.pictures_of(0)] == ["[icon: settings]"]
    assert [p.marker for p in steps.pictures_of(1)] == ["[icon: wifi]"]
    assert tablet.kind == "picture" and tablet.pictures_of(0)[0].name == "ipad" and tip.pictures_of(0) == ()
    with pytest.raises(GuideFormatError, match="cannot hold pictures"):
        parse_chapter_text("# T\n\n::: tip\nA tip [icon: lock]\n:::\n")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_chapter_that_names_a_button_icon_or_gesture_shows_a_picture(lang):
    names = re.compile(NAMES_SOMETHING[lang], re.IGNORECASE)
    counted = {}
    for chapter in load_guide("beginner", lang).chapters:
        counted[chapter.key] = len(chapter.pictures)
        if names.search(chapter.all_text()):
            assert chapter.pictures, f"{lang}/{chapter.key} names a button, icon or gesture but shows no picture"
    # The getting-started chapter draws both tablets (each senior's guide keeps their own).
    start = load_guide("beginner", lang).chapter("start")
    assert {p.name for p in start.pictures if p.kind == "tablet"} == {"android", "ipad"}
    assert sum(counted.values()) >= 150


def test_every_step_that_names_an_icon_a_button_or_a_gesture_shows_it():
    missing = []
    for chapter in load_guide("beginner", "en").chapters:
        for block in chapter.blocks:
            texts = [block.text] if block.kind == "paragraph" else block.items
            if block.kind not in ("paragraph", "steps", "bullets"):
                continue
            for index, text in enumerate(texts):
                if STEP_NAMES.search(text) and not block.pictures_of(index):
                    missing.append(f"{chapter.key}: {text}")
    assert not missing, "\n".join(missing)


def test_the_trainer_and_the_card_use_the_same_pictures():
    sheet = load_guide("trainer", "fi").chapter("show_gestures")
    taught = {p.name for p in sheet.pictures}
    nine = {
        "tap",
        "double-tap",
        "long-press",
        "swipe-left",
        "scroll",
        "pinch",
        "spread",
        "drag",
        "type",
        "quick-settings",
    }
    beginner = {p.name for c in load_guide("beginner", "fi").chapters for p in c.pictures if p.kind == "gesture"}
    assert nine <= taught <= beginner and all(p.kind == "gesture" for p in sheet.pictures)
    assert "lock" in {p.name for p in volunteer_card("fi").pictures}


def test_icons_are_at_least_12_mm_and_the_body_stays_14_and_18_pt():
    for size, body in (("large", 14), ("larger", 18)):
        look = _look(size)
        assert look.icon >= 12 * mm and look.s.body.fontSize == body and look.picture_name.fontSize == body


def test_a_picture_never_parts_from_its_step():
    look = _look("large")
    step = para("Tap the Settings icon. It is a grey cogwheel.", look.s.step)
    row = _with_pictures(step, [pictures.Picture("icon", "settings")], look, "fi", 450)
    width, height = row.wrap(450, 800)
    # Where the pair does not fit, it moves to the next page whole.
    assert row.split(450, height - 1) == [] and height >= look.icon
    assert row.strip.width < width / 3 and row.text.width < width - row.strip.width


def _contrast(a, b) -> float:
    def luminance(colour) -> float:
        channels = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in colour.rgb()]
        return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]

    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_picture_colours_have_7_to_1_contrast():
    # Lines are black or blue on white or the pale fill; names are black text on white.
    for ink in (BLACK, BLUE):
        for paper in (WHITE, PALE):
            assert _contrast(ink, paper) >= 7, (ink, paper)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_nothing_is_drawn_outside_a_picture(lang):
    for kind in pictures.PICTURE_KINDS:
        for name in pictures.picture_names(kind):
            for width in (45,) if kind in ("icon", "gesture") else (300, 460):
                drawing = pictures.drawing(kind, name, lang, width, 18 if width > 100 else 14)
                x0, y0, x1, y1 = drawing.getBounds()
                slack = width * 0.04  # half a line's width
                assert x0 >= -slack and y0 >= -slack, (kind, name, lang, width)
                assert x1 <= drawing.width + slack and y1 <= drawing.height + slack, (kind, name, lang, width)


def _forms(content: bytes) -> set[str]:
    """The pictures a PDF holds: each is one form XObject, drawn once however often it is shown."""
    names = set()
    for page in PdfReader(io.BytesIO(content)).pages:
        resources = page.get("/Resources") or {}
        names |= {str(n).removeprefix("/FormXob.") for n in (resources.get("/XObject") or {})}
    return names


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_pdf_shows_every_named_picture_once_per_document(lang):
    guide = tailor("beginner", lang, COURSE)
    content = guide_pdf(guide, "large")
    forms = _forms(content)
    named = {p for c in guide.chapters for p in c.pictures} | {
        pictures.Picture("scene", s) for s in current_instrument().skill_codes
    }
    shown = {(f.split("-")[1], f.split("-", 2)[2].rsplit(f"-{lang}-", 1)[0]) for f in forms if f.startswith("picture-")}
    assert shown == {(p.kind, p.name) for p in named}
    # An iPad senior's own guide draws the iPad and no Android tablet.
    own = _forms(guide_pdf(tailor("beginner", lang, COURSE, SeniorInfo("Aino", "ipados")), "larger"))
    assert any("tablet-ipad" in f for f in own) and not any("tablet-android" in f for f in own)


def test_pictures_are_drawn_once_and_cached():
    first = pictures.drawing("icon", "wifi", "fi", 45.35)
    assert pictures.drawing("icon", "wifi", "fi", 45.35) is first
    assert pictures.svg("gesture", "tap", "sv") is pictures.svg("gesture", "tap", "sv")
    svg = pictures.svg("tablet", "android", "sv", 480, 16)
    assert svg.startswith("<svg") and "Strömknapp" in svg and "Laddningsport" in svg


def test_the_cards_show_the_lock_beside_the_rule():
    content = volunteer_cards_pdf([CardInfo("Mikko Laine", "HelsinkiMissio", "Syksy", "Kinapori")], "en")
    assert any("icon-lock" in f for f in _forms(content))
    assert "Lock" in page_texts(content)[0]


def test_large_print_still_applies_to_picture_names():
    assert stylesheet("larger").body.fontSize > stylesheet("large").body.fontSize >= 14


def test_the_web_page_gets_a_data_address_that_reads_back_as_the_drawing():
    from urllib.parse import unquote

    address = pictures.svg_data_uri("icon", "settings", "fi")
    # A raw "#" would end the address early (it starts a fragment): the browser would show no picture.
    assert address.startswith("data:image/svg+xml,") and "#" not in address and "\n" not in address
    assert unquote(address.removeprefix("data:image/svg+xml,")) == pictures.svg("icon", "settings", "fi")
