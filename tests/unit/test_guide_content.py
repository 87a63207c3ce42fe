"""The printed guides' text files and their loader (pdf_templates.guide_content)."""

from __future__ import annotations

import re

import pytest

from assessments.instrument import current_instrument
from digiystava.i18n import LANGUAGES
from pdf_templates import guide_content as gc
from pdf_templates.guide_content import (
    GUIDE_KINDS,
    OS_NAMES,
    REQUIRED_LABELS,
    VOLUNTEER_CARD_PLACEHOLDERS,
    Block,
    GuideFormatError,
    check_guides,
    load_glossary,
    load_guide,
    parse_chapter_file,
    parse_chapter_text,
    volunteer_card,
    volunteer_card_text,
)

SKILL_CODES = current_instrument().skill_codes
HELP_PHONE = "09 310 10011"
CARD_RULE = {
    "fi": "Digiystävä ei koskaan pyydä pankkitunnuksiasi, salasanojasi tai rahaa.",
    "sv": "En digivän ber aldrig om dina bankkoder, lösenord eller pengar.",
    "en": "A digital friend never asks for your bank codes, passwords or money.",
}


def reload_guides() -> None:
    """Forget the cached guides, so the files a test edited are read again."""
    gc._load_guide.cache_clear()
    gc._glossary.cache_clear()
    gc._volunteer_card.cache_clear()


def guide_text(guide) -> str:
    return "\n".join(chapter.all_text() for chapter in guide.chapters)


# ------------------------------------------------------------------ the content


def test_the_guides_speak_every_language_of_the_tracker():
    assert [load_guide(kind, lang).lang for kind in GUIDE_KINDS for lang in LANGUAGES] == list(LANGUAGES) * 2


def test_all_guide_files_pass_the_check():
    assert check_guides() == []


@pytest.mark.parametrize("kind", GUIDE_KINDS)
def test_every_language_has_the_same_chapters(kind):
    keys = {lang: [c.key for c in load_guide(kind, lang).chapters] for lang in LANGUAGES}
    assert keys["sv"] == keys["fi"]
    assert keys["en"] == keys["fi"]
    numbers = {lang: [c.number for c in load_guide(kind, lang).chapters] for lang in LANGUAGES}
    assert numbers["sv"] == numbers["fi"] == numbers["en"]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_beginner_guide_has_one_chapter_per_skill(lang):
    guide = load_guide("beginner", lang)
    assert sorted(c.skill_code for c in guide.skill_chapters) == sorted(SKILL_CODES), "the instrument's skills"
    for chapter in guide.chapters:
        assert chapter.skill_code == (chapter.key if chapter.key in SKILL_CODES else None)
    # getting started first, skills in the middle, help at the end
    kinds = ["skill" if c.skill_code else "other" for c in guide.chapters]
    first, last = kinds.index("skill"), len(kinds) - 1 - kinds[::-1].index("skill")
    assert set(kinds[first : last + 1]) == {"skill"}
    keys = [c.key for c in guide.chapters]
    for key in ("start", "charging", "gestures", "keyboard", "wifi", "safety", "passwords", "scams"):
        assert keys.index(key) < first
    assert keys.index("help") > last


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_skill_chapter_has_android_and_ipados_steps_and_a_tip(lang):
    for chapter in load_guide("beginner", lang).skill_chapters:
        intro = chapter.blocks[0]
        assert intro.kind == "paragraph" and intro.os is None, chapter.key
        for os in OS_NAMES:
            steps = chapter.steps_for(os)
            assert steps, f"{lang}/{chapter.key}: no {os} steps"
            for block in steps:
                assert 4 <= len(block.items) <= 8, f"{lang}/{chapter.key}/{os}: {len(block.items)} steps"
        assert chapter.tips, f"{lang}/{chapter.key}: no tip"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_os_specific_blocks_are_paired_in_skill_chapters(lang):
    """A printout for one tablet type keeps a full set of steps."""
    for chapter in load_guide("beginner", lang).skill_chapters:
        assert len(chapter.steps_for("android")) == len(chapter.steps_for("ipados")), chapter.key


def test_skill_steps_match_across_languages():
    fi = load_guide("beginner", "fi")
    for lang in ("sv", "en"):
        other = load_guide("beginner", lang)
        for a, b in zip(fi.chapters, other.chapters):
            assert [blk.kind for blk in a.blocks] == [blk.kind for blk in b.blocks], (lang, a.key)
            assert [len(blk.items) for blk in a.blocks] == [len(blk.items) for blk in b.blocks], (lang, a.key)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_help_details_appear_in_every_beginner_guide(lang):
    guide = load_guide("beginner", lang)
    help_text = guide.chapter("help").all_text()
    for fact in (HELP_PHONE, "digituki.hel.fi", "9–12", "Siltasaarenkatu 2", "13–15"):
        assert fact in help_text, fact
    assert HELP_PHONE in guide_text(guide)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_scams_chapter_says_bank_and_police_never_ask_for_codes(lang):
    text = load_guide("beginner", lang).chapter("scams").all_text()
    expected = {
        "fi": "Pankki tai poliisi ei koskaan kysy",
        "sv": "Banken eller polisen frågar aldrig",
        "en": "A bank or the police never asks for your codes",
    }[lang]
    assert expected in text


@pytest.mark.parametrize("lang", LANGUAGES)
def test_trainer_guide_plans_ten_alternating_weeks(lang):
    plan = load_guide("trainer", lang).chapter("course_plan")
    headings = [b.text for b in plan.blocks if b.kind == "heading"]
    assert len(headings) == 10
    for week, heading in enumerate(headings, start=1):
        assert re.match(rf"^\D+ {week} – ", heading), heading
    labels = load_guide("trainer", lang).labels
    assert all(h.startswith(labels["week"] + " ") for h in headings)
    # odd weeks are group lessons, even weeks practice with the digital friend
    for week, heading in enumerate(headings, start=1):
        assert (labels["group_lesson"] in heading) == (week % 2 == 1), heading


@pytest.mark.parametrize("lang", LANGUAGES)
def test_trainer_guide_explains_the_scale_and_no_answer(lang):
    guide = load_guide("trainer", lang)
    text = guide.chapter("attendance").all_text()
    for level in range(5):
        assert f"{level} = {guide.labels[f'scale_{level}']}" in text
    assert guide.labels["scale_none"] in text


@pytest.mark.parametrize("lang", LANGUAGES)
def test_glossary_has_at_least_twenty_unique_words(lang):
    glossary = load_glossary(lang)
    assert len(glossary) >= 20
    terms = [term.casefold() for term, _ in glossary]
    assert len(set(terms)) == len(terms)
    assert all(term and explanation.endswith(".") for term, explanation in glossary)
    assert load_guide("beginner", lang).glossary == glossary
    assert "Wi-Fi" in [t for t, _ in glossary] or "Wifi" in [t for t, _ in glossary]


def test_labels_are_complete_and_the_same_in_every_language():
    keys = None
    for lang in LANGUAGES:
        labels = load_guide("beginner", lang).labels
        assert set(REQUIRED_LABELS) <= set(labels)
        assert all(isinstance(v, str) and v.strip() for v in labels.values())
        keys = keys or set(labels)
        assert set(labels) == keys
    assert load_guide("beginner", "en").labels["tip"] == "Good to know"
    assert load_guide("beginner", "en").labels["notes"] == "My notes"
    with pytest.raises(TypeError):
        load_guide("beginner", "fi").labels["tip"] = "x"  # read-only


def test_titles():
    assert load_guide("beginner", "fi").title == "Mikä ihmeen älylaite"
    assert load_guide("beginner", "fi").subtitle == "Aloittelijan digitaito-opas"
    assert load_guide("beginner", "sv").title == "Vad är en smart enhet?"
    assert load_guide("beginner", "sv").subtitle == "Digiguide för nybörjare"
    assert load_guide("beginner", "en").title == "What on earth is a smart device?"
    assert load_guide("beginner", "en").subtitle == "A beginner's digital-skills guide"
    assert load_guide("trainer", "fi").title == "Kouluttajan opas"
    assert load_guide("trainer", "sv").title == "Handledarens guide"
    assert load_guide("trainer", "en").title == "Trainer's guide"


def test_swedish_says_surfplatta():
    for kind in GUIDE_KINDS:
        text = guide_text(load_guide(kind, "sv"))
        assert "surfplatta" in text
        assert "tablett" not in text.casefold()


# ------------------------------------------------------------------ volunteer card


@pytest.mark.parametrize("lang", LANGUAGES)
def test_volunteer_card_placeholders_and_rule(lang):
    text = volunteer_card_text(lang)
    assert set(re.findall(r"\{(\w+)\}", text)) == set(VOLUNTEER_CARD_PLACEHOLDERS)
    card = volunteer_card(lang)
    tips = [b for b in card.blocks if b.kind == "tip"]
    assert tips and CARD_RULE[lang] in tips[0].text


def test_volunteer_card_filled_in():
    values = dict(
        volunteer_name="Anna Virtanen", organisation="HelsinkiMissio", cohort_name="Kevät {A}", place="Kinapori"
    )
    text = volunteer_card_text("fi", **values)
    assert "Anna Virtanen" in text and "Kinapori" in text and "Kevät {A}" in text
    assert "{volunteer_name}" not in text
    card = volunteer_card("fi", **values)
    assert any("Anna Virtanen" in item for b in card.blocks for item in b.items)
    with pytest.raises(ValueError, match="missing place"):
        volunteer_card_text("fi", volunteer_name="A", organisation="B", cohort_name="C")
    with pytest.raises(ValueError, match="unknown phone"):
        volunteer_card_text("fi", phone="1", **values)


# ------------------------------------------------------------------ loader API


def test_unknown_language_names_supported_ones():
    with pytest.raises(ValueError, match="fi, sv, en"):
        load_guide("beginner", "de")
    with pytest.raises(ValueError, match="fi, sv, en"):
        volunteer_card_text("no")


def test_language_variants_and_unknown_kind():
    assert load_guide("beginner", "sv-FI") is load_guide("beginner", "sv")
    assert load_guide("trainer", "FI").lang == "fi"
    with pytest.raises(ValueError, match="beginner, trainer"):
        load_guide("expert", "fi")


def test_load_guide_is_cached():
    assert load_guide("beginner", "fi") is load_guide("beginner", "fi")


def test_ordered_puts_wished_skills_first():
    guide = load_guide("beginner", "en")
    ordered = guide.ordered(["health", "contact", "health"])
    keys = [c.key for c in ordered]
    assert len(keys) == len(guide.chapters)
    first_skill = next(i for i, c in enumerate(ordered) if c.skill_code)
    assert keys[first_skill : first_skill + 2] == ["health", "contact"]
    assert keys[0] == "start" and keys[-1] == "help"
    only = [c.key for c in guide.ordered(["music"], include_rest=False)]
    assert [k for k in only if k in SKILL_CODES] == ["music"]
    with pytest.raises(ValueError, match="unknown skill code"):
        guide.ordered(["knitting"])


def test_for_os_drops_the_other_tablets_blocks():
    guide = load_guide("beginner", "fi")
    android = guide.for_os("android")
    assert all(b.os in (None, "android") for c in android.chapters for b in c.blocks)
    assert android.skill_chapter("email").steps_for("android")
    assert guide.for_os(None) is guide
    with pytest.raises(ValueError):
        guide.for_os("windows")


def test_no_placeholders_or_markup_leak_into_guides():
    for lang in LANGUAGES:
        for kind in GUIDE_KINDS:
            text = guide_text(load_guide(kind, lang))
            assert "{" not in text and ":::" not in text and "**" not in text


# ------------------------------------------------------------------ the parser


GOOD = """# Title

Intro line one
continues here.

## Sub

::: android
1. First step.
2. Second step
   goes on.

3. Third step.
:::

::: ipados
7. Only step.
- A bullet.
:::

::: tip
Tip text.

- tip bullet
:::
"""


def test_parser_reads_the_subset():
    title, blocks = parse_chapter_text(GOOD, "good.md")
    assert title == "Title"
    assert blocks == (
        Block("paragraph", text="Intro line one continues here."),
        Block("heading", text="Sub"),
        Block("steps", items=("First step.", "Second step goes on.", "Third step."), os="android"),
        Block("steps", items=("Only step.",), os="ipados"),
        Block("bullets", items=("A bullet.",), os="ipados"),
        Block("tip", text="Tip text.", items=("tip bullet",)),
    )


def test_parser_accepts_crlf_and_bom():
    title, blocks = parse_chapter_text("\ufeff# T\r\n\r\nText.\r\n", "x.md")
    assert title == "T" and blocks == (Block("paragraph", text="Text."),)


def _error(text: str) -> GuideFormatError:
    with pytest.raises(GuideFormatError) as info:
        parse_chapter_text(text, "bad.md")
    return info.value


def test_unknown_fence_names_file_and_line():
    err = _error("# T\n\n::: ios\n1. Step.\n:::\n")
    assert err.line == 3 and err.path == "bad.md"
    assert str(err).startswith("bad.md, line 3: unknown block '::: ios'")
    assert "::: android" in str(err) and "::: ipados" in str(err)


def test_unclosed_fence_points_at_its_opening_line():
    err = _error("# T\n\nText.\n\n::: tip\nNever closed.\n")
    assert err.line == 5
    assert "never closed" in str(err)


def test_nested_fence_is_an_error():
    err = _error("# T\n::: android\n1. A.\n::: tip\nX\n:::\n:::\n")
    assert err.line == 4 and "line 2" in err.reason


def test_closing_fence_without_opening_is_an_error():
    err = _error("# T\n\nText.\n:::\n")
    assert err.line == 4 and "no block is open" in err.reason


@pytest.mark.parametrize(
    "text, line, words",
    [
        ("Title without hash\n\nText.\n", 1, "first line"),
        ("# T\n\n# Second title\n", 3, "only the first line"),
        ("# T\n\n### Deep\n", 3, "## Subheading"),
        ("# T\n\n* star bullet\n", 3, "'- '"),
        ("# T\n\n::: tip\n:::\n", 4, "empty"),
        ("# T\n\n::: android\n## Heading\n:::\n", 4, "cannot be inside"),
        ("# T\n\n::: tip\n1. Step.\n:::\n", 4, "numbered steps"),
        ("# T\n\nHello {volunteer_name}\n", 3, "placeholders"),
        ("# T\n\nSome **bold** text\n", 3, "bold"),
        ("# T\n\n::: tip extra\nX\n:::\n", 3, "block line"),
        ("# T\n", 1, "no text"),
    ],
)
def test_parser_rejects_mistakes(text, line, words):
    err = _error(text)
    assert err.line == line
    assert words in str(err)


def test_placeholders_only_where_allowed():
    parse_chapter_text("# T\n\nHi {place}\n", "c.md", allowed_placeholders=("place",))
    err = _error_with(lambda: parse_chapter_text("# T\n\nHi {name}\n", "c.md", allowed_placeholders=("place",)))
    assert "unknown placeholder '{name}'" in str(err)
    err = _error_with(lambda: parse_chapter_text("# T\n\nHi {place\n", "c.md", allowed_placeholders=("place",)))
    assert "lone curly bracket" in str(err)


def _error_with(func) -> GuideFormatError:
    with pytest.raises(GuideFormatError) as info:
        func()
    return info.value


def test_file_errors_name_the_file(tmp_path):
    path = tmp_path / "10-search.md"
    path.write_text("# Haku\n\n::: android\n1. Yksi.\n", encoding="utf-8")
    with pytest.raises(GuideFormatError) as info:
        parse_chapter_file(path)
    assert info.value.line == 3
    assert "10-search.md, line 3" in str(info.value)
    path.write_bytes("# Otsikko\n\nÄäkköset\n".encode("latin-1"))
    with pytest.raises(GuideFormatError, match="UTF-8"):
        parse_chapter_file(path)


def test_loader_checks_folder_layout(tmp_path, monkeypatch):
    """A misnamed chapter file or a broken meta.json is reported, not silently skipped."""
    root = tmp_path / "guides"
    for lang in LANGUAGES:
        src = gc.GUIDES_DIR / lang
        dst = root / lang
        for folder in ("beginner", "trainer"):
            (dst / folder).mkdir(parents=True)
            for f in (src / folder).iterdir():
                (dst / folder / f.name).write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
        for name in ("meta.json", "glossary.md", "volunteer_card.md"):
            (dst / name).write_text((src / name).read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setattr(gc, "GUIDES_DIR", root)
    reload_guides()
    try:
        assert check_guides() == []
        (root / "sv" / "beginner" / "Email.md").write_text("# E\n\nX\n", encoding="utf-8")
        (root / "en" / "trainer" / "02-course_plan.md").rename(root / "en" / "trainer" / "02-plan.md")
        (root / "fi" / "beginner" / "20-games.md").write_text("# Pelit\n\nVain tekstiä.\n", encoding="utf-8")
        reload_guides()
        problems = "\n".join(check_guides())
        assert "sv/beginner/Email.md" in problems
        assert "two digits" in problems
        assert "en/trainer" in problems and "differ" in problems
        assert "fi/beginner/20-games.md: no numbered steps inside '::: android'" in problems
        assert "fi/beginner/20-games.md: no '::: tip' block" in problems
        (root / "fi" / "meta.json").write_text('{"beginner": {"title": "x"}}', encoding="utf-8")
        reload_guides()
        with pytest.raises(GuideFormatError, match="meta.json"):
            load_guide("trainer", "fi")
    finally:
        monkeypatch.undo()
        reload_guides()
