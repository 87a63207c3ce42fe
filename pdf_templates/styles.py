"""The one style sheet of every PDF: fonts, colours, paragraph styles, tables, pages.

Every PDF of the product is built from these pieces so that a report for the steering
group and a large-print handout for a senior look like one family:

- fonts: DejaVu Sans, embedded, which covers the Latin letters of Finnish, Swedish,
  Estonian and Somali, Cyrillic, and Arabic;
- ``escape`` / ``para``: the only way user text enters a ``Paragraph`` (reportlab parses
  markup, so a name like ``<b>`` or ``R&D`` would otherwise break or restyle the page);
- ``stylesheet(size)``: paragraph styles in three print sizes, ``"report"`` (10.5 pt body),
  ``"large"`` (14 pt, anything handed to a senior) and ``"larger"`` (18 pt);
- ``data_table``: tables with a bold header row, zebra rows and a grid;
- ``build_document``: A4 pages with metadata and a "Sivu 3 / 7" footer.

Right-to-left text: reportlab reorders and shapes Arabic only when its optional ``rlbidi``
and ``uharfbuzz`` packages are installed. Without them, ``visual_order`` does it here as a
best effort: Arabic letters get their joined forms from the presentation-form glyphs of
DejaVu Sans, and right-to-left runs are put in visual order before line breaking. That is
right for names and short phrases; a right-to-left run longer than a line may break at the
wrong word, and marks or rare letters without a presentation form stay unjoined.
"""

from __future__ import annotations

import importlib.util
import os
import re
import threading
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import BinaryIO

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Table, TableStyle

from digiystava.i18n import LANGUAGES
from pdf_templates.wording import NP_, in_language

__all__ = [
    "BLACK",
    "CHART_AFTER",
    "CHART_BEFORE",
    "CHART_GRID",
    "FONT",
    "FONT_BOLD",
    "HEADER_BLUE",
    "HELSINKI_BLUE",
    "LEVEL_COLOURS",
    "Stylesheet",
    "WHITE",
    "ZEBRA",
    "build_document",
    "data_table",
    "data_table_style",
    "escape",
    "page_label",
    "para",
    "plain_text",
    "register_fonts",
    "step_list",
    "stylesheet",
    "visual_order",
]

# NOTE: binary streams. Without reportlab's optional C accelerator, ASCII85-encoding a
# page of chart pixels in pure Python costs ~0.3 s, more than laying the page out.
rl_config.useA85 = 0


def _dejavu_by_default() -> None:
    """Every default font of reportlab is DejaVu Sans: a table cell, a bullet or a fresh canvas
    that names no font would otherwise be set in Helvetica, which is never embedded."""
    from reportlab.platypus.tables import CellStyle

    rl_config.canvas_basefontname = FONT
    CellStyle.fontname = FONT
    ParagraphStyle.defaults["fontName"] = FONT
    ParagraphStyle.defaults["bulletFontName"] = FONT


# --- Palette -------------------------------------------------------------------------
# Black on white for text; Helsinki's brand "bus" blue for accents (12:1 on white).
BLACK = "#000000"
WHITE = "#FFFFFF"
HELSINKI_BLUE = "#0000BF"
HEADER_BLUE = "#D5E2F6"  # table header fill; black text on it is 16:1
ZEBRA = "#F1F5FB"
RULE_GREY = "#595959"  # grid and rules; 7:1, so it also passes as text colour

# Chart pair from the Okabe–Ito set: orange and dark blue are told apart with every
# common colour-vision deficiency and differ strongly in lightness, so they also read
# in greyscale print (orange prints as a mid grey, the blue as near-black).
CHART_BEFORE = "#E69F00"
CHART_AFTER = HELSINKI_BLUE
CHART_GRID = "#BDBDBD"  # gridlines only, never text
# Diverging scale for self-assessment levels 0..4: orange side for "cannot yet", blue
# side for "can"; lightness alternates outwards from the zero line so neighbours differ
# in greyscale too.
LEVEL_COLOURS: tuple[str, ...] = ("#B35806", "#F5B75C", "#C6DBEF", "#4A90C8", "#08306B")

# --- Fonts -----------------------------------------------------------------------------
FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
FONT_ITALIC = "DejaVuSans-Oblique"
FONT_BOLD_ITALIC = "DejaVuSans-BoldOblique"
_FONT_FILES = {
    FONT: "DejaVuSans.ttf",
    FONT_BOLD: "DejaVuSans-Bold.ttf",
    FONT_ITALIC: "DejaVuSans-Oblique.ttf",
    FONT_BOLD_ITALIC: "DejaVuSans-BoldOblique.ttf",
}
_font_lock = threading.Lock()
_dejavu_by_default()
# NOTE: reportlab's TrueType faces are shared by every document, and subsetting one
# while writing a PDF reads the font file through a single position: two threads
# writing at once mix their reads (KeyError in makeSubset). PDFs are laid out in
# parallel and written one at a time.
PDF_WRITE_LOCK = threading.Lock()


def _font_dirs() -> list[Path]:
    """Folders that may hold DejaVu Sans, matplotlib's bundled copy first."""
    dirs: list[Path] = []
    # NOTE: find_spec locates matplotlib without importing it (an import costs ~0.2 s
    # and would load its rc machinery into every PDF request).
    spec = importlib.util.find_spec("matplotlib")
    if spec is not None and spec.submodule_search_locations:
        for location in spec.submodule_search_locations:
            dirs.append(Path(location) / "mpl-data" / "fonts" / "ttf")
    dirs.append(Path("/usr/share/fonts/truetype/dejavu"))
    return dirs


def _find_font(filename: str) -> Path:
    for folder in _font_dirs():
        candidate = folder / filename
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"{filename} not found; it ships with matplotlib (mpl-data/fonts/ttf)")


def register_fonts() -> str:
    """Register DejaVu Sans (regular, bold, oblique, bold oblique) once; return the family."""
    with _font_lock:
        registered = set(pdfmetrics.getRegisteredFontNames())
        for name, filename in _FONT_FILES.items():
            if name not in registered:
                pdfmetrics.registerFont(TTFont(name, str(_find_font(filename))))
        # Lets <b> and <i> inside a Paragraph pick the matching face.
        pdfmetrics.registerFontFamily(
            FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC, boldItalic=FONT_BOLD_ITALIC
        )
    return FONT


# --- Right-to-left text ----------------------------------------------------------------
try:  # reportlab 4.3+ reorders right-to-left text when its optional rlbidi is installed
    from reportlab.pdfgen.textobject import rtlSupport as _REPORTLAB_BIDI
except ImportError:
    _REPORTLAB_BIDI = False


def _harfbuzz_available() -> bool:
    return importlib.util.find_spec("uharfbuzz") is not None


# reportlab shapes only together with its own bidi; without rlbidi we do both here.
_REPORTLAB_SHAPING = bool(_REPORTLAB_BIDI) and _harfbuzz_available()

_RTL_CLASSES = frozenset({"R", "AL"})
_NUMBER_CLASSES = frozenset({"EN", "AN"})
_MIRRORS = dict(zip("()[]{}<>«»‹›", ")(][}{><»«›‹"))
# Explicit embeddings, overrides and isolates: the fallback cannot honour them, and left
# in they could make a name display in a misleading order.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_BIDI_MARKS = frozenset("\u200e\u200f\u061c")  # LRM, RLM, ALM: direction hints only
_LAM = "\u0644"
_ALEFS = frozenset("\u0622\u0623\u0625\u0627")
_JOIN_CAUSING = frozenset("\u0640\u200d")  # tatweel, zero-width joiner
# A right-to-left run up to this long is kept on one line (its spaces become no-break
# spaces), because it is reordered before reportlab breaks lines.
_KEEP_TOGETHER = 40


@dataclass(frozen=True)
class _ArabicForms:
    forms: dict[str, dict[str, str]]  # letter -> {"isolated"|"final"|"initial"|"medial": glyph}
    lam_alef: dict[str, dict[str, str]]  # alef -> {"isolated"|"final": ligature}


@lru_cache(maxsize=1)
def _arabic_forms() -> _ArabicForms:
    """Presentation forms that Unicode defines and DejaVu Sans can draw."""
    register_fonts()
    font = pdfmetrics.getFont(FONT)
    has_glyph = font.face.charToGlyph.__contains__
    forms: dict[str, dict[str, str]] = {}
    lam_alef: dict[str, dict[str, str]] = {}
    for code in (*range(0xFB50, 0xFE00), *range(0xFE70, 0xFEFF)):
        glyph = chr(code)
        tag, _, chars = unicodedata.decomposition(glyph).partition(" ")
        if tag not in ("<isolated>", "<final>", "<initial>", "<medial>") or not has_glyph(code):
            continue
        base = "".join(chr(int(part, 16)) for part in chars.split())
        if len(base) == 1:
            forms.setdefault(base, {})[tag.strip("<>")] = glyph
        elif len(base) == 2 and base[0] == _LAM and base[1] in _ALEFS:
            lam_alef.setdefault(base[1], {})[tag.strip("<>")] = glyph
    return _ArabicForms(forms, lam_alef)


def _joining(char: str, forms: dict[str, dict[str, str]]) -> str:
    """Joining type: D dual, R right only, C join-causing, T transparent, U none."""
    if char in _JOIN_CAUSING:
        return "C"
    if unicodedata.category(char) in ("Mn", "Me"):
        return "T"
    letter = forms.get(char)
    if not letter:
        return "U"
    return "D" if "initial" in letter or "medial" in letter else "R"


def shape_arabic(text: str) -> str:
    """Replace Arabic letters by their joined presentation forms (logical order kept)."""
    if not any("\u0600" <= c <= "\u06ff" for c in text):
        return text
    tables = _arabic_forms()
    kinds = [_joining(c, tables.forms) for c in text]

    def neighbour(index: int, step: int) -> str:
        index += step
        while 0 <= index < len(text) and kinds[index] == "T":
            index += step
        return kinds[index] if 0 <= index < len(text) else "U"

    out: list[str] = []
    skip_next = False
    for i, char in enumerate(text):
        if skip_next:
            skip_next = False
            continue
        kind = kinds[i]
        if kind not in ("D", "R"):
            out.append(char)
            continue
        joins_before = neighbour(i, -1) in ("D", "C")
        if char == _LAM and i + 1 < len(text) and text[i + 1] in tables.lam_alef:
            ligature = tables.lam_alef[text[i + 1]]
            form = "final" if joins_before else "isolated"
            if form in ligature:
                out.append(ligature[form])
                skip_next = True
                continue
        joins_after = kind == "D" and neighbour(i, +1) in ("D", "R", "C")
        form = {
            (True, True): "medial",
            (True, False): "final",
            (False, True): "initial",
            (False, False): "isolated",
        }[(joins_before, joins_after)]
        out.append(tables.forms[char].get(form, char))
    return "".join(out)


def _reorder_line(line: str) -> str:
    classes = [unicodedata.bidirectional(c) for c in line]
    if not any(c in _RTL_CLASSES for c in classes):
        return line
    out: list[str] = []
    i = 0
    while i < len(line):
        if classes[i] not in _RTL_CLASSES:
            out.append(line[i])
            i += 1
            continue
        # A run starts at a right-to-left letter and lasts until a left-to-right letter;
        # neutrals at its end belong to the surrounding left-to-right text, numbers and
        # marks that follow a right-to-left letter belong to the run.
        end = i
        j = i
        while j < len(line) and classes[j] != "L":
            if classes[j] in _RTL_CLASSES or classes[j] in _NUMBER_CLASSES:
                end = j
            elif classes[j] == "NSM" and end == j - 1:
                end = j
            j += 1
        end = _close_brackets(line, i, end, j)
        out.append(_reverse_run(line[i : end + 1], classes[i : end + 1]))
        i = end + 1
    return "".join(out)


def _close_brackets(line: str, start: int, end: int, limit: int) -> int:
    """Extend a run over the closing brackets of pairs it opened, as in "علي (25)"."""
    pairs = {"(": ")", "[": "]", "{": "}"}
    open_stack: list[str] = []
    for char in line[start : end + 1]:
        if char in pairs:
            open_stack.append(pairs[char])
        elif open_stack and char == open_stack[-1]:
            open_stack.pop()
    k = end + 1
    while open_stack and k < limit:
        if line[k] == open_stack[-1]:
            open_stack.pop()
            end = k
        k += 1
    return end


def _reverse_run(run: str, classes: list[str]) -> str:
    """Visual order of one right-to-left run; numbers inside it stay left-to-right."""
    units: list[str] = []
    i = 0
    while i < len(run):
        j = i + 1
        if classes[i] in _NUMBER_CLASSES:
            # 1.5, 12:30 and 100 % read left to right even inside Arabic text.
            while j < len(run) and (
                classes[j] in _NUMBER_CLASSES
                or (classes[j] in ("CS", "ES", "ET") and j + 1 < len(run) and classes[j + 1] in _NUMBER_CLASSES)
            ):
                j += 1
        else:
            # A letter keeps its combining marks after it, where the glyphs expect them.
            while j < len(run) and classes[j] == "NSM":
                j += 1
        units.append(run[i:j])
        i = j
    units.reverse()
    text = "".join(_MIRRORS.get(u, u) if len(u) == 1 else u for u in units)
    if len(text) <= _KEEP_TOGETHER:
        text = text.replace(" ", "\u00a0")
    return text


def visual_order(text: str) -> str:
    """Return ``text`` ready to draw left to right: Arabic joined and put in visual order.

    Used only when reportlab's own bidi support is missing. The paragraph direction is
    left to right (the documents are Finnish, Swedish or English); each right-to-left
    run inside a line is reversed as the Unicode bidi algorithm would display it, with
    numbers kept left to right and brackets mirrored. Explicit bidi controls are
    dropped. Lines are handled one by one.
    """
    if not any(unicodedata.bidirectional(c) in _RTL_CLASSES for c in text):
        return "".join(c for c in text if c not in _BIDI_CONTROLS and c not in _BIDI_MARKS)
    text = "".join(c for c in text if c not in _BIDI_CONTROLS)
    if not _REPORTLAB_SHAPING:
        text = shape_arabic(text)
    lines = [_reorder_line(line) for line in text.split("\n")]
    return "\n".join("".join(c for c in line if c not in _BIDI_MARKS) for line in lines)


# --- Escaping ------------------------------------------------------------------------
# C0 and C1 controls (tab and newline are handled separately), DEL, the byte-order mark
# and non-characters: none of them has a glyph, and NUL ends strings in some readers.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufeff\ufffe\uffff]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_XML = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"})


def _clean(value: object) -> str:
    """Text in logical order without control characters; newlines normalised to \\n."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    # Lone surrogates cannot be encoded into the PDF at all.
    text = _SURROGATE.sub("\ufffd", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    text = _UNPRINTABLE.sub("", text)
    return "".join(c for c in text if c not in _BIDI_CONTROLS)


def plain_text(value: object) -> str:
    """User text ready to draw: no control characters, right-to-left runs in visual order.

    For text drawn straight on the canvas (footers, labels); ``escape`` builds on it.
    Lines stay separated by ``\\n``.
    """
    text = _clean(value)
    return text if _REPORTLAB_BIDI else visual_order(text)


def escape(text: object) -> str:
    """Make any user value safe to put inside ``Paragraph`` markup.

    ``&``, ``<``, ``>`` and quotes become entities, control characters are dropped,
    newlines become ``<br/>``; zero-width joiners and spaces are kept (DejaVu Sans has
    empty glyphs for them, and Persian spelling needs the non-joiner).
    """
    return "<br/>".join(line.translate(_XML) for line in plain_text(text).split("\n"))


def para(text: object, style: ParagraphStyle) -> Paragraph:
    """A ``Paragraph`` of escaped user text."""
    return Paragraph(escape(text), style)


# --- Paragraph styles --------------------------------------------------------------------
@dataclass(frozen=True)
class _Scale:
    body: float
    title: float
    h1: float
    h2: float
    small: float
    table: float
    footer: float
    margin_side: float  # points
    margin_top: float
    margin_bottom: float


_SCALES: dict[str, _Scale] = {
    "report": _Scale(10.5, 20, 15, 12.5, 9, 9.5, 8.5, 20 * mm, 18 * mm, 24 * mm),
    "large": _Scale(14, 26, 20, 16.5, 12.5, 13, 12, 20 * mm, 20 * mm, 28 * mm),
    "larger": _Scale(18, 32, 25, 21, 15, 16, 14, 18 * mm, 20 * mm, 32 * mm),
}
_LEADING = 1.4  # airy enough for weak sight, still compact in tables


@dataclass(frozen=True)
class Stylesheet:
    """Paragraph styles for one print size."""

    size: str
    title: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    body: ParagraphStyle
    small: ParagraphStyle
    table: ParagraphStyle
    table_header: ParagraphStyle
    table_header_number: ParagraphStyle
    table_number: ParagraphStyle
    step: ParagraphStyle
    caption: ParagraphStyle

    @property
    def body_size(self) -> float:
        return self.body.fontSize


def _normalise_size(size: bool | str) -> str:
    if size is True:
        return "large"
    if size is False:
        return "report"
    if size not in _SCALES:
        raise ValueError(f"unknown print size {size!r}; use one of {sorted(_SCALES)}")
    return size


def _style(name: str, size: float, **extra: object) -> ParagraphStyle:
    base: dict[str, object] = {
        "fontName": FONT,
        # NOTE: reportlab draws bullets ("•", "1.") in Helvetica unless told, and Helvetica is never embedded.
        "bulletFontName": FONT,
        "fontSize": size,
        "leading": round(size * _LEADING, 1),
        "textColor": colors.HexColor(BLACK),
        "alignment": TA_LEFT,
        "spaceAfter": round(size * 0.5, 1),
        "allowWidows": 0,
        "allowOrphans": 0,
    }
    if _REPORTLAB_BIDI:
        base["wordWrap"] = "LTR"  # runs reportlab's bidi over each paragraph
    if _REPORTLAB_SHAPING:
        base["shaping"] = 1
    base.update(extra)
    return ParagraphStyle(name, **base)


@cache
def _build_stylesheet(size: str) -> Stylesheet:
    register_fonts()
    s = _SCALES[size]
    blue = colors.HexColor(HELSINKI_BLUE)
    return Stylesheet(
        size=size,
        title=_style(f"{size}-title", s.title, fontName=FONT_BOLD, textColor=blue, spaceAfter=s.title * 0.6),
        h1=_style(
            f"{size}-h1",
            s.h1,
            fontName=FONT_BOLD,
            textColor=blue,
            spaceBefore=s.h1 * 0.8,
            spaceAfter=s.h1 * 0.4,
            keepWithNext=1,
        ),
        h2=_style(
            f"{size}-h2", s.h2, fontName=FONT_BOLD, spaceBefore=s.h2 * 0.7, spaceAfter=s.h2 * 0.3, keepWithNext=1
        ),
        body=_style(f"{size}-body", s.body),
        small=_style(f"{size}-small", s.small),
        table=_style(f"{size}-table", s.table, spaceAfter=0),
        table_header=_style(f"{size}-table-header", s.table, fontName=FONT_BOLD, spaceAfter=0),
        table_header_number=_style(
            f"{size}-table-header-number", s.table, fontName=FONT_BOLD, alignment=TA_RIGHT, spaceAfter=0
        ),
        table_number=_style(f"{size}-table-number", s.table, alignment=TA_RIGHT, spaceAfter=0),
        step=_style(
            f"{size}-step",
            s.body,
            leftIndent=s.body * 2.2,
            bulletIndent=0,
            bulletFontName=FONT_BOLD,
            bulletFontSize=s.body,
            spaceAfter=s.body * 0.7,
        ),
        caption=_style(f"{size}-caption", s.small, fontName=FONT_ITALIC, spaceBefore=s.small * 0.3),
    )


def stylesheet(size: bool | str = "large") -> Stylesheet:
    """Styles for ``"report"`` (10.5 pt body), ``"large"`` (14 pt) or ``"larger"`` (18 pt).

    ``True`` means ``"large"`` and ``False`` ``"report"``. Large print is the default
    because anything handed to a senior must be large print; reports ask for "report".
    Styles are shared objects: copy one (``ParagraphStyle(name, parent=...)``) to vary it.
    """
    return _build_stylesheet(_normalise_size(size))


def step_list(steps: Iterable[object], styles: Stylesheet) -> list[Paragraph]:
    """Numbered instructions ("1. Avaa tabletti"), one escaped paragraph per step."""
    return [Paragraph(escape(step), styles.step, bulletText=f"{number}.") for number, step in enumerate(steps, start=1)]


# --- Tables ------------------------------------------------------------------------
def data_table_style(
    styles: Stylesheet, *, header_rows: int = 1, zebra: bool = True, rows: int | None = None
) -> TableStyle:
    """Grid, bold header on light blue, and zebra rows when ``rows`` (the count) is given."""
    pad = max(3.0, styles.table.fontSize * 0.4)
    commands: list[tuple[object, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor(RULE_GREY)),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), pad),
        ("BOTTOMPADDING", (0, 0), (-1, -1), pad),
        ("LEFTPADDING", (0, 0), (-1, -1), pad * 1.3),
        ("RIGHTPADDING", (0, 0), (-1, -1), pad * 1.3),
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("FONTSIZE", (0, 0), (-1, -1), styles.table.fontSize),
        ("LEADING", (0, 0), (-1, -1), styles.table.leading),
    ]
    if header_rows:
        commands += [
            ("BACKGROUND", (0, 0), (-1, header_rows - 1), colors.HexColor(HEADER_BLUE)),
            ("FONTNAME", (0, 0), (-1, header_rows - 1), FONT_BOLD),
            ("LINEBELOW", (0, header_rows - 1), (-1, header_rows - 1), 1.2, colors.HexColor(HELSINKI_BLUE)),
        ]
    if zebra and rows is not None:
        for row in range(header_rows + 1, rows, 2):
            commands.append(("BACKGROUND", (0, row), (-1, row), colors.HexColor(ZEBRA)))
    return TableStyle(commands)


def data_table(
    rows: Sequence[Sequence[object]],
    styles: Stylesheet,
    *,
    col_widths: Sequence[float] | None = None,
    header_rows: int = 1,
    numeric_columns: Iterable[int] = (),
    zebra: bool = True,
    row_height: float | None = None,
) -> Table:
    """A data table; every cell that is not already a flowable is escaped and wrapped.

    The header repeats on every page; ``numeric_columns`` are right-aligned;
    ``row_height`` gives body rows room, e.g. for a signature.
    """
    numeric = set(numeric_columns)
    cells: list[list[object]] = []
    for r, row in enumerate(rows):
        line: list[object] = []
        for c, value in enumerate(row):
            if isinstance(value, Flowable):
                line.append(value)
                continue
            if r < header_rows:
                style = styles.table_header_number if c in numeric else styles.table_header
            elif c in numeric:
                style = styles.table_number
            else:
                style = styles.table
            line.append(para(value, style))
        cells.append(line)
    heights = None if row_height is None else [None] * header_rows + [row_height] * (len(cells) - header_rows)
    table = Table(
        cells,
        colWidths=col_widths,
        rowHeights=heights,
        repeatRows=header_rows,
        hAlign="LEFT",
        spaceBefore=styles.body.fontSize * 0.3,
        spaceAfter=styles.body.fontSize,
    )
    table.setStyle(data_table_style(styles, header_rows=header_rows, zebra=zebra, rows=len(cells)))
    return table


# --- Pages -------------------------------------------------------------------------
PAGE_LABEL = NP_("page footer", "Page {page} of {total}")


def page_label(page: int, total: int, lang: str = "fi") -> str:
    """ "Sivu 3 / 7", "Sida 3 / 7" or "Page 3 of 7"; a language without catalogs gets "3 / 7"."""
    primary = lang.replace("_", "-").split("-")[0].lower()
    wording = in_language(PAGE_LABEL, primary) if primary in LANGUAGES else "{page} / {total}"
    return wording.format(page=page, total=total)


@dataclass(frozen=True)
class _Footer:
    text: str
    lang: str
    page_numbers: bool
    scale: _Scale

    def draw(self, canvas: Canvas, page: int, total: int) -> None:
        s = self.scale
        size = s.footer
        leading = size * 1.35
        width, _ = A4
        left, right = s.margin_side, width - s.margin_side
        canvas.saveState()
        canvas.setStrokeColor(colors.HexColor(HELSINKI_BLUE))
        canvas.setLineWidth(0.8)
        rule_y = s.margin_bottom - 5 * mm
        canvas.line(left, rule_y, right, rule_y)
        canvas.setFillColor(colors.HexColor(BLACK))
        baseline = rule_y - leading
        label = page_label(page, total, self.lang) if self.page_numbers else ""
        if label:
            canvas.setFont(FONT_BOLD, size)
            canvas.drawRightString(right, baseline, label)
        if self.text:
            room = right - left - (pdfmetrics.stringWidth(label, FONT_BOLD, size) + 6 * mm)
            lines = simpleSplit(self.text, FONT, size, room)
            if len(lines) > 2:  # keep the footer inside the margin
                lines = lines[:2]
                lines[1] = lines[1].rstrip(" .") + "…"
            canvas.setFont(FONT, size)
            for n, line in enumerate(lines):
                canvas.drawString(left, baseline - n * leading, line)
        canvas.restoreState()


def _numbered_canvas(footer: _Footer, late: Callable[[Canvas, int, int], None] | None = None) -> Callable[..., Canvas]:
    """A canvas class that holds pages back until the total page count is known.

    ``late(canvas, page, total)``, when given, draws on each page at that point too
    (e.g. the page numbers of a contents list, known only once every page is laid out).
    """

    class NumberedCanvas(Canvas):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, **kwargs)
            self._page_states: list[dict[str, object]] = []

        def showPage(self) -> None:  # noqa: N802 - reportlab's name
            self._page_states.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._page_states)
            for number, state in enumerate(self._page_states, start=1):
                self.__dict__.update(state)
                footer.draw(self, number, total)
                if late is not None:
                    late(self, number, total)
                super().showPage()
            with PDF_WRITE_LOCK:
                super().save()

    return NumberedCanvas


CREATOR = "Digiystävä"


def document_metadata(title: str, author: str = "Digiystävä", subject: str | None = None) -> dict[str, str]:
    """What every PDF says about itself: a real title, author, subject and creator (never reportlab's "unspecified").

    Metadata stays in logical order: PDF viewers lay it out themselves.
    """
    values = (("title", title), ("author", author), ("subject", subject or title), ("creator", CREATOR))
    return {key: " ".join(_clean(value).split()) for key, value in values}


def drawing_canvas(
    out: BinaryIO, *, title: str, lang: str, subject: str | None = None, author: str = "Digiystävä", pagesize=A4
) -> Canvas:
    """A canvas for a PDF drawn by hand (label sheets) that carries what ``build_document`` gives every PDF:
    language, title shown by viewers, subject, author and creator, and DejaVu as its only font."""
    register_fonts()
    canvas = Canvas(out, pagesize=pagesize, initialFontName=FONT, lang=lang)
    meta = document_metadata(title, author, subject)
    canvas.setTitle(meta["title"])
    canvas.setAuthor(meta["author"])
    canvas.setSubject(meta["subject"])
    canvas.setCreator(meta["creator"])
    canvas.setViewerPreference("DisplayDocTitle", "true")
    return canvas


def build_document(
    out: BinaryIO | str | os.PathLike[str],
    story: list[Flowable],
    *,
    title: str,
    author: str = "Digiystävä",
    lang: str = "fi",
    size: str = "report",
    footer: str | None = None,
    page_numbers: bool = True,
    subject: str | None = None,
    late: Callable[[Canvas, int, int], None] | None = None,
) -> int:
    """Lay ``story`` out on A4 pages and write the PDF to ``out``; return the page count.

    ``size`` sets the margins and the footer's type size and should match the
    ``stylesheet`` the story was made with. The PDF carries title, author, subject and
    language, and viewers show the title instead of the file name (PDF/UA, WCAG PDF18).
    ``late(canvas, page, total)`` draws on every page after the whole story is laid out.
    """
    register_fonts()
    scale = _SCALES[_normalise_size(size)]
    pages = {"count": 0}
    footer_spec = _Footer(plain_text(footer), lang, page_numbers, scale)
    meta = document_metadata(title, author, subject)

    def count_page(canvas: Canvas, doc: SimpleDocTemplate) -> None:
        pages["count"] = canvas.getPageNumber()

    target = os.fspath(out) if isinstance(out, (str, os.PathLike)) else out
    doc = SimpleDocTemplate(
        target,
        pagesize=A4,
        leftMargin=scale.margin_side,
        rightMargin=scale.margin_side,
        topMargin=scale.margin_top,
        bottomMargin=scale.margin_bottom,
        **meta,
        lang=lang,
        displayDocTitle=1,
        initialFontName=FONT,  # keeps Helvetica (not embedded) out of the file
    )
    doc.build(
        story,
        onFirstPage=count_page,
        onLaterPages=count_page,
        canvasmaker=_numbered_canvas(footer_spec, late),
    )
    return pages["count"]
