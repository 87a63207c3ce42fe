"""The PDF style sheet: escaping, right-to-left text, styles and the page frame."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader
from reportlab.lib import colors
from reportlab.platypus import PageBreak, Paragraph

from pdf_templates import styles
from pdf_templates.styles import (
    build_document,
    data_table,
    escape,
    page_label,
    para,
    register_fonts,
    step_list,
    stylesheet,
    visual_order,
)
from tests.pdf_text import page_texts

needs_own_shaping = pytest.mark.skipif(styles._REPORTLAB_SHAPING, reason="reportlab shapes Arabic itself here")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # markup in a name must print, not restyle the page
        ("<b>Eino</b>", "&lt;b&gt;Eino&lt;/b&gt;"),
        ("R&D <3", "R&amp;D &lt;3"),
        ("\"Maija\" 'Mai'", "&quot;Maija&quot; &#39;Mai&#39;"),
        # NUL and other control characters are dropped, tab becomes a space
        ("Ai\x00no\x07\x1b[0m\tK", "Aino[0m K"),
        # every newline style becomes a line break
        ("rivi 1\r\nrivi 2\rrivi 3\nrivi 4", "rivi 1<br/>rivi 2<br/>rivi 3<br/>rivi 4"),
        # zero-width joiner and non-joiner stay (Persian spelling needs them)
        ("a\u200db\u200cc", "a\u200db\u200cc"),
        # an override could make a name display in a misleading order
        ("Eino\u202eonie", "Einoonie"),
        # a lone surrogate cannot be written to a PDF
        ("x\udc80y", "x\ufffdy"),
        (None, ""),
        (42, "42"),
    ],
)
def test_escape(raw: object, expected: str) -> None:
    assert escape(raw) == expected


@pytest.mark.parametrize(
    "raw",
    ["<b>", "</para>", "<font size=40>x</font>", "&amp;", "&", "<br/>", "a<![CDATA[b]]>", "\x00<"],
)
def test_escaped_text_prints_literally(raw: str) -> None:
    style = stylesheet("report").body
    assert Paragraph(escape(raw), style).getPlainText() == raw.replace("\x00", "")
    assert para(raw, style).getPlainText() == raw.replace("\x00", "")


@needs_own_shaping
def test_visual_order_joins_and_reverses_arabic() -> None:
    # سلام: seen, lam-alef ligature, meem; drawn left to right as meem, lam-alef, seen.
    assert visual_order("سلام") == "\ufee1\ufefc\ufeb3"


@needs_own_shaping
@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # a number after Arabic letters joins the run but reads left to right
        ("علي 25", "25\u00a0\ufef2\ufee0\ufecb"),
        # brackets around the number are mirrored with it
        ("علي (25) ok", "(25)\u00a0\ufef2\ufee0\ufecb ok"),
        # Latin text around an Arabic name keeps its place
        ("Nimi: علي, kurssi", "Nimi: \ufef2\ufee0\ufecb, kurssi"),
        # Finnish, Swedish and Cyrillic are untouched
        ("Äijälä Åström Пётр", "Äijälä Åström Пётр"),
    ],
)
def test_visual_order_keeps_numbers_and_latin_in_place(raw: str, expected: str) -> None:
    assert visual_order(raw) == expected


@needs_own_shaping
@pytest.mark.skipif(styles._REPORTLAB_BIDI, reason="reportlab reorders right-to-left text itself")
def test_escape_prepares_rtl_names() -> None:
    out = escape("علي & <Maija>")
    assert out.startswith("\ufef2\ufee0\ufecb")
    assert out.endswith(" &amp; &lt;Maija&gt;")


def test_fonts_register_once() -> None:
    assert register_fonts() == register_fonts() == "DejaVuSans"
    for name in ("DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique", "DejaVuSans-BoldOblique"):
        assert name in styles.pdfmetrics.getRegisteredFontNames()


@pytest.mark.parametrize(
    ("size", "body"),
    [("report", 10.5), ("large", 14), ("larger", 18), (True, 14), (False, 10.5)],
)
def test_stylesheet_sizes(size: bool | str, body: float) -> None:
    assert stylesheet(size).body.fontSize == body


def _contrast(colour: colors.Color) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = channel(colour.red), channel(colour.green), channel(colour.blue)
    return 1.05 / (0.2126 * r + 0.7152 * g + 0.0722 * b + 0.05)


@pytest.mark.parametrize("size", ["report", "large", "larger"])
def test_styles_are_legible(size: str) -> None:
    sheet = stylesheet(size)
    fields = [f for f in sheet.__dataclass_fields__ if f != "size"]
    for field in fields:
        style = getattr(sheet, field)
        assert style.leading >= 1.35 * style.fontSize, field
        assert _contrast(style.textColor) >= 4.5, field
        assert style.fontName.startswith("DejaVuSans"), field
    if size != "report":
        # anything handed to a senior: nothing below 12 pt
        assert min(getattr(sheet, f).fontSize for f in fields) >= 12


def test_unknown_size_is_refused() -> None:
    with pytest.raises(ValueError):
        stylesheet("huge")


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("fi", "Sivu 3 / 7"),
        ("sv", "Sida 3 / 7"),
        ("en", "Page 3 of 7"),
        ("sv-FI", "Sida 3 / 7"),
        # a language without a wording gets the bare numbers
        ("ru", "3 / 7"),
    ],
)
def test_page_label(lang: str, expected: str) -> None:
    assert page_label(3, 7, lang) == expected


def _build(size: str = "report", lang: str = "fi", **kwargs: object) -> tuple[bytes, int]:
    sheet = stylesheet(size)
    story = [
        para("Osallistujat <kevät & syksy>", sheet.title),
        para("Äijälä, Eino", sheet.body),
        para("Åström, Margareta", sheet.body),
        data_table([["Nimi", "Taso"], ["Петров, Иван", 2], ["<b>Tamm</b>", 3]], sheet, numeric_columns=[1]),
        PageBreak(),
        *step_list(["Avaa tabletti.", "Paina <Koti>-painiketta."], sheet),
    ]
    out = io.BytesIO()
    pages = build_document(out, story, title="Osallistujat", lang=lang, size=size, **kwargs)
    return out.getvalue(), pages


def test_document_text_reads_back() -> None:
    pdf, pages = _build(footer="Digiystävä · Kinaporin palvelukeskus")
    texts = page_texts(pdf)
    assert pages == len(texts) == 2
    first, second = texts
    for text in (
        "Äijälä, Eino",
        "Åström, Margareta",
        "Петров, Иван",
        "<b>Tamm</b>",
        "Osallistujat <kevät & syksy>",
        "Sivu 1 / 2",
        "Kinaporin palvelukeskus",
    ):
        assert text in first
    assert "Sivu 2 / 2" in second
    assert "<Koti>-painiketta" in second


@pytest.mark.parametrize(("lang", "label"), [("sv", "Sida 1 / 2"), ("en", "Page 1 of 2")])
def test_footer_speaks_the_document_language(lang: str, label: str) -> None:
    pdf, _ = _build(size="large", lang=lang)
    assert label in page_texts(pdf)[0]


def test_page_numbers_can_be_left_out() -> None:
    pdf, _ = _build(page_numbers=False, footer="Digiystävä")
    text = page_texts(pdf)[0]
    assert "Sivu" not in text
    assert "Digiystävä" in text


def test_metadata_keeps_logical_order() -> None:
    # viewers lay out metadata themselves, so it must not be pre-reversed
    out = io.BytesIO()
    build_document(out, [para("x", stylesheet("report").body)], title="Kurssi محمد علي\n2024")
    assert PdfReader(io.BytesIO(out.getvalue())).metadata.title == "Kurssi محمد علي 2024"


def test_document_metadata() -> None:
    pdf, _ = _build(lang="sv")
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.metadata.title == "Osallistujat"
    assert reader.metadata.author == "Digiystävä"
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "sv"
    assert root["/ViewerPreferences"]["/DisplayDocTitle"]


def test_only_embedded_dejavu_fonts() -> None:
    pdf, _ = _build()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            assert "DejaVuSans" in font["/BaseFont"]
            descriptor = font["/FontDescriptor"].get_object()
            assert "/FontFile2" in descriptor  # TrueType program embedded


def test_build_document_writes_to_a_path(tmp_path) -> None:
    target = tmp_path / "raportti.pdf"
    pages = build_document(target, [para("Hei", stylesheet("larger").body)], title="Hei", size="larger")
    assert pages == 1
    assert target.read_bytes().startswith(b"%PDF-")


def test_pdfs_written_from_several_threads_at_once_all_come_out_whole() -> None:
    """Reports render in worker threads; reportlab's shared font faces must not mix two writes."""
    from concurrent.futures import ThreadPoolExecutor

    alphabet = "abcdefghijklmnopqrstuvwxyzåäöABCDEFGHIJKLMNOPQRSTUVWXYZÅÄÖ0123456789ÆØßçéèêëïîôûüÿ"

    def render(n: int) -> str:
        # Each document uses a different run of glyphs, so each subsets the fonts differently.
        text = "".join(alphabet[(n * 7 + i) % len(alphabet)] for i in range(60))
        styles_ = stylesheet("report")
        out = io.BytesIO()
        build_document(out, [Paragraph(text, styles_.body), Paragraph(text[::-1], styles_.title)], title=f"T{n}")
        return page_texts(out.getvalue())[0]

    with ThreadPoolExecutor(4) as pool:
        texts = list(pool.map(render, range(240)))
    assert all(text.strip() for text in texts)
