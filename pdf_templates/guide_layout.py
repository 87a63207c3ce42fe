"""Large-print PDF layout of the beginner's and trainer's guides and the digital friend's cards.

The words come from ``guides/`` (through ``guide_tailoring.tailor``); this module only
decides how they look: a cover, the course page, contents with page numbers, one chapter
per page run with numbered steps in Android and iPad bands, "Good to know" boxes, ruled
note space, the glossary. Body text is 14 pt ("large") or 18 pt ("larger").
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from babel.dates import format_date
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, PageBreak, Paragraph, Spacer, Table, TableStyle

from pdf_templates import pictures
from pdf_templates.guide_content import Block, Chapter, Picture, volunteer_card
from pdf_templates.guide_tailoring import SIZES, CourseInfo, TailoredGuide, layout_texts, os_blocks
from pdf_templates.pictures import PictureFlowable
from pdf_templates.styles import (
    BLACK,
    FONT_BOLD,
    HEADER_BLUE,
    HELSINKI_BLUE,
    RULE_GREY,
    Stylesheet,
    build_document,
    data_table,
    escape,
    para,
    step_list,
    stylesheet,
)

TIP_FILL = "#FFF3C4"  # pale yellow: black text on it is 19:1
_DATE_FORMATS = {"fi": "EEEEEE d.M.", "sv": "EEEEEE d.M.", "en": "EEE d MMM"}


# --- Small flowables -----------------------------------------------------------------
@dataclass
class _Marks:
    """Where chapters start and where their contents rows were drawn (filled while building)."""

    chapter_pages: dict[str, int] = field(default_factory=dict)
    rows: list[tuple[str, int, float, float, float]] = field(default_factory=list)  # key, page, x0, x1, y
    anchors: list[tuple[str, str, int, int]] = field(default_factory=list)  # key, title, page, level

    def draw_late(self, canvas: Canvas, page: int, total: int) -> None:
        """Bookmarks and contents numbers, drawn as each finished page is written out."""
        # NOTE: here, not while laying out: the numbering canvas holds pages back, so a
        # bookmark made during layout would point at the first page.
        for key, title, anchor_page, level in self.anchors:
            if anchor_page == page:
                canvas.bookmarkPage(key)
                canvas.addOutlineEntry(title, key, level=level, closed=False)
        for key, row_page, x0, x1, y in self.rows:
            if row_page != page or key not in self.chapter_pages:
                continue
            canvas.saveState()
            canvas.setFont(FONT_BOLD, _ROW_FONT.get(key, 14))
            canvas.setFillColor(colors.HexColor(BLACK))
            canvas.drawRightString(x1, y, str(self.chapter_pages[key]))
            canvas.restoreState()
            canvas.linkRect("", key, (x0, y - 4, x1, y + 14), relative=0, name=f"contents-link-{key}")


_ROW_FONT: dict[str, float] = {}


class ChapterAnchor(Flowable):
    """Zero-size mark at a chapter's start: a PDF bookmark, an outline entry, its page."""

    def __init__(self, key: str, title: str, marks: _Marks, level: int = 0):
        super().__init__()
        self.key, self.title, self.marks, self.level = key, title, marks, level

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        canvas = self.canv
        page = canvas.getPageNumber()
        self.marks.chapter_pages[self.key] = page
        self.marks.anchors.append((self.key, self.title, page, self.level))


class ContentsRow(Flowable):
    """One line of the contents; its page number is drawn once every page is laid out."""

    def __init__(self, key: str, paragraph: Paragraph, marks: _Marks, number_width: float):
        super().__init__()
        self.key, self.paragraph, self.marks, self.number_width = key, paragraph, marks, number_width

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        _, self.height = self.paragraph.wrap(avail_width - self.number_width, avail_height)
        return avail_width, self.height + self.paragraph.style.spaceAfter

    def draw(self) -> None:
        canvas = self.canv
        space = self.paragraph.style.spaceAfter
        self.paragraph.drawOn(canvas, 0, space)
        # The number sits on the baseline of the title's last line.
        baseline = space + self.paragraph.style.leading - self.paragraph.style.fontSize
        x0, y = canvas.absolutePosition(0, baseline + 0.18 * self.paragraph.style.fontSize)
        x1, _ = canvas.absolutePosition(self.width, 0)
        _ROW_FONT[self.key] = self.paragraph.style.fontSize
        self.marks.rows.append((self.key, canvas.getPageNumber(), x0, x1, y))


class NoteLines(Flowable):
    """Ruled lines to write on: as many as fit, between ``minimum`` and ``maximum``."""

    def __init__(self, gap: float, minimum: int = 3, maximum: int = 8):
        super().__init__()
        self.gap, self.minimum, self.maximum = gap, minimum, maximum
        self.lines = minimum

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        fits = int(avail_height // self.gap)
        self.lines = max(self.minimum, min(self.maximum, fits))
        return avail_width, self.lines * self.gap

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        canvas.setStrokeColor(colors.HexColor(RULE_GREY))
        canvas.setLineWidth(0.8)
        for n in range(self.lines):
            y = n * self.gap + 2
            canvas.line(0, y, self.width, y)
        canvas.restoreState()


class CutLine(Flowable):
    """A dashed line with scissors-free wording: where to cut the cards apart."""

    def __init__(self, height: float = 8 * mm):
        super().__init__()
        self.height = height

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        return avail_width, self.height

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        canvas.setDash(6, 4)
        canvas.setStrokeColor(colors.HexColor(RULE_GREY))
        canvas.line(0, self.height / 2, self.width, self.height / 2)
        canvas.restoreState()


# --- Styles ----------------------------------------------------------------------------
@dataclass(frozen=True)
class _Look:
    s: Stylesheet
    cover_title: ParagraphStyle
    cover_sub: ParagraphStyle
    part: ParagraphStyle
    band: ParagraphStyle
    bullet: ParagraphStyle
    tip_title: ParagraphStyle
    contents: ParagraphStyle
    contents_part: ParagraphStyle
    rule: ParagraphStyle
    notes: ParagraphStyle
    picture_name: ParagraphStyle
    scene_caption: ParagraphStyle
    icon: float  # width of an icon or gesture beside a step (at least 12 mm)


def _look(size: str) -> _Look:
    s = stylesheet(size)
    body = s.body.fontSize
    return _Look(
        s=s,
        cover_title=ParagraphStyle(
            "guide-cover-title", parent=s.title, fontSize=body * 2.4, leading=body * 2.9, spaceAfter=body
        ),
        cover_sub=ParagraphStyle(
            "guide-cover-sub", parent=s.h2, fontSize=body * 1.4, leading=body * 1.9, keepWithNext=0
        ),
        part=ParagraphStyle(
            "guide-part",
            parent=s.body,
            fontName=FONT_BOLD,
            textColor=colors.white,
            backColor=colors.HexColor(HELSINKI_BLUE),
            borderPadding=(body * 0.3, body * 0.5),
            spaceBefore=body * 0.3,
            spaceAfter=body * 1.2,
            keepWithNext=1,
        ),
        band=ParagraphStyle(
            "guide-band",
            parent=s.h2,
            fontSize=body * 1.05,
            leading=body * 1.4,
            backColor=colors.HexColor(HEADER_BLUE),
            borderPadding=(body * 0.3, body * 0.4),
            spaceBefore=body * 1.0,
            spaceAfter=body * 0.8,
            keepWithNext=1,
        ),
        bullet=ParagraphStyle("guide-bullet", parent=s.step, leftIndent=body * 1.6, spaceAfter=body * 0.4),
        tip_title=ParagraphStyle("guide-tip-title", parent=s.body, fontName=FONT_BOLD, spaceAfter=body * 0.3),
        contents=ParagraphStyle(
            "guide-contents", parent=s.body, leftIndent=body * 1.2, leading=body * 1.25, spaceAfter=body * 0.2
        ),
        contents_part=ParagraphStyle("guide-contents-part", parent=s.h2, spaceBefore=body * 0.5, spaceAfter=body * 0.2),
        notes=ParagraphStyle("guide-notes", parent=s.h2, keepWithNext=0),
        picture_name=ParagraphStyle(
            "guide-picture-name", parent=s.body, fontName=FONT_BOLD, alignment=TA_CENTER, spaceAfter=0
        ),
        scene_caption=ParagraphStyle(
            "guide-scene-caption", parent=s.h2, alignment=TA_CENTER, spaceBefore=body * 0.3, keepWithNext=0
        ),
        icon=(16 if size == "large" else 20) * mm,
        rule=ParagraphStyle(
            "guide-rule",
            parent=s.h1,
            fontSize=body * 1.3,
            leading=body * 1.75,
            textColor=colors.HexColor(BLACK),
            spaceBefore=0,
            spaceAfter=0,
        ),
    )


def _date(day, lang: str) -> str:
    return format_date(day, format=_DATE_FORMATS.get(lang, "d.M."), locale=lang)


# --- Pieces ----------------------------------------------------------------------------
def _bullets(items: Iterable[str], look: _Look) -> list[Flowable]:
    return [Paragraph(escape(item), look.bullet, bulletText="•") for item in items]


def _tip_box(
    title: str,
    block: Block,
    look: _Look,
    width: float,
    title_style: ParagraphStyle | None = None,
    text_style: ParagraphStyle | None = None,
) -> Table:
    inner: list[Flowable] = [para(title, title_style or look.tip_title)] if title else []
    inner += [para(text, text_style or look.s.body) for text in block.text.split("\n\n") if text.strip()]
    inner += _bullets(block.items, look)
    pad = look.s.body.fontSize * 0.7
    box = Table(
        [[inner]],
        colWidths=[width],
        hAlign="LEFT",
        spaceBefore=look.s.body.fontSize * 0.6,
        spaceAfter=look.s.body.fontSize * 0.8,
    )
    box.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor(TIP_FILL)),
                ("BOX", (0, 0), (-1, -1), 1.5, colors.HexColor(HELSINKI_BLUE)),
                ("LEFTPADDING", (0, 0), (-1, -1), pad),
                ("RIGHTPADDING", (0, 0), (-1, -1), pad),
                ("TOPPADDING", (0, 0), (-1, -1), pad * 0.7),
                ("BOTTOMPADDING", (0, 0), (-1, -1), pad * 0.2),
            ]
        )
    )
    return box


class PictureStrip(Flowable):
    """Pictures side by side, each with its name under it in bold body text.

    Drawn directly rather than as a table of paragraphs: a guide shows some two hundred
    of them, and the cohort's guides must still build in a few seconds.
    """

    def __init__(self, shown: Sequence[Picture], look: _Look, lang: str):
        super().__init__()
        style = look.picture_name
        self.font, self.size, self.leading = style.fontName, style.fontSize, style.leading
        self.icon = look.icon
        self.gap = self.size * 0.6
        self.items = []
        for picture in shown:
            name = pictures.label(picture.kind, picture.name, lang)
            # NOTE: as wide as the longest word of the name, so no word is broken or runs over.
            column = max(self.icon, *(stringWidth(w, self.font, self.size) + 4 for w in name.split()))
            drawn = PictureFlowable(picture.kind, picture.name, lang, self.icon)
            self.items.append((drawn, self._lines(name, column), column))
        self.width = sum(column for *_, column in self.items) + self.gap * (len(self.items) - 1)
        self.height = self.icon + self.size * 0.3 + max(len(lines) for _, lines, _ in self.items) * self.leading

    def _lines(self, name: str, column: float) -> list[str]:
        lines: list[str] = []
        for word in name.split():
            if lines and stringWidth(f"{lines[-1]} {word}", self.font, self.size) <= column:
                lines[-1] = f"{lines[-1]} {word}"
            else:
                lines.append(word)
        return lines

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        return []

    def draw(self) -> None:
        canvas = self.canv
        x = 0.0
        for drawn, lines, column in self.items:
            drawn.drawOn(canvas, x + (column - self.icon) / 2, self.height - self.icon)
            canvas.setFont(self.font, self.size)
            canvas.setFillColor(colors.HexColor(BLACK))
            y = self.height - self.icon - self.size * 0.3 - self.size
            for line in lines:
                canvas.drawCentredString(x + column / 2, y, line)
                y -= self.leading
            x += column + self.gap


class Beside(Flowable):
    """A step (or bullet, or paragraph) with its pictures at the right; never split across pages."""

    def __init__(self, text: Flowable, strip: PictureStrip, gap: float):
        super().__init__()
        self.text, self.strip, self.gap = text, strip, gap

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        _, self.text_height = self.text.wrap(avail_width - self.strip.width - self.gap, avail_height)
        self.height = max(self.text_height, self.strip.height + self.gap * 0.5)
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        return []  # the picture stays with its step: the pair moves to the next page whole

    def getSpaceAfter(self) -> float:
        return self.text.getSpaceAfter()

    def getSpaceBefore(self) -> float:
        return self.text.getSpaceBefore()

    def draw(self) -> None:
        self.text.drawOn(self.canv, 0, self.height - self.text_height)
        self.strip.drawOn(self.canv, self.width - self.strip.width, self.height - self.strip.height)


def _with_pictures(text: Flowable, shown: Sequence[Picture], look: _Look, lang: str, width: float) -> Beside:
    """A step (or bullet, or paragraph) with its pictures beside it, never split across a page."""
    return Beside(text, PictureStrip(shown, look, lang), look.s.body.fontSize * 0.8)


def _picture_block(block: Block, look: _Look, lang: str, width: float) -> list[Flowable]:
    """A line holding only pictures: a tablet drawing across the page, or icons in a row."""
    out: list[Flowable] = []
    small = [p for p in block.pictures_of(0) if p.kind not in ("tablet", "scene")]
    for picture in block.pictures_of(0):
        if picture.kind == "tablet":
            body = look.s.body.fontSize
            out += [PictureFlowable("tablet", picture.name, lang, width - body, font=body), Spacer(1, body)]
        elif picture.kind == "scene":
            out += _scene(picture.name, look, lang, width)
    if small:
        row = PictureStrip(small, look, lang)
        row.hAlign = "LEFT"
        out += [row, Spacer(1, look.s.body.fontSize * 0.5)]
    return out


def _scene(name: str, look: _Look, lang: str, width: float) -> list[Flowable]:
    """The large picture that opens a skill chapter, with what the senior will be able to do."""
    drawn = PictureFlowable("scene", name, lang, width * 0.72)
    drawn.hAlign = "CENTER"
    drawn.keepWithNext = 1
    return [drawn, para(pictures.label("scene", name, lang), look.scene_caption)]


def _is_picture_sheet(block: Block) -> bool:
    """A list of six or more bullets that all show pictures prints as a grid of cards."""
    return len(block.items) >= 6 and all(block.pictures_of(i) for i in range(len(block.items)))


def _picture_grid(block: Block, look: _Look, lang: str, width: float) -> list[Flowable]:
    """Cards in rows of three (two in larger print): the pictures, their names, the text."""
    columns = 3 if look.s.size == "large" else 2
    cards = []
    for index, item in enumerate(block.items):
        strip = PictureStrip(block.pictures_of(index), look, lang)
        strip.hAlign = "LEFT"
        cards.append([strip, para(item, look.s.body)])
    pad = look.s.body.fontSize * 0.4
    rows: list[Flowable] = []
    # NOTE: one table per row, so a heading kept with the grid needs room for one row only.
    for n in range(0, len(cards), columns):
        row = cards[n : n + columns]
        table = Table([row + [""] * (columns - len(row))], colWidths=[width / columns] * columns, hAlign="LEFT")
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LINEABOVE", (0, 0), (-1, 0), 0.8, colors.HexColor(RULE_GREY)),
                    ("LEFTPADDING", (0, 0), (-1, -1), pad),
                    ("RIGHTPADDING", (0, 0), (-1, -1), pad),
                    ("TOPPADDING", (0, 0), (-1, -1), pad),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), pad),
                ]
            )
        )
        rows.append(table)
    return rows


def _blocks(blocks: Sequence[Block], look: _Look, labels, width: float, lang: str = "fi") -> list[Flowable]:
    out: list[Flowable] = []
    for block in blocks:
        if block.kind == "heading":
            out.append(para(block.text, look.s.h2))
        elif block.kind == "paragraph":
            shown = block.pictures_of(0)
            text = para(block.text, look.s.body)
            out.append(_with_pictures(text, shown, look, lang, width) if shown else text)
        elif block.kind == "bullets" and _is_picture_sheet(block):
            out += _picture_grid(block, look, lang, width)
        elif block.kind in ("steps", "bullets"):
            texts = step_list(block.items, look.s) if block.kind == "steps" else _bullets(block.items, look)
            for index, text in enumerate(texts):
                shown = block.pictures_of(index)
                out.append(_with_pictures(text, shown, look, lang, width) if shown else text)
        elif block.kind == "picture":
            out += _picture_block(block, look, lang, width)
        elif block.kind == "tip":
            out.append(_tip_box(labels["tip"], block, look, width))
    return out


def _chapter(
    chapter: Chapter, guide: TailoredGuide, look: _Look, marks: _Marks, width: float, part_title: str | None
) -> list[Flowable]:
    labels = guide.labels
    story: list[Flowable] = [PageBreak(), ChapterAnchor(chapter.key, chapter.title, marks)]
    if part_title:
        story.append(para(part_title, look.part))
    story.append(para(chapter.title, look.s.h1))
    if chapter.skill_code and pictures.known("scene", chapter.skill_code):
        story += _scene(chapter.skill_code, look, guide.lang, width)
    for os_name, blocks in os_blocks(chapter.blocks):
        if os_name is not None:
            story.append(para(labels[os_name], look.band))
        story += _blocks(blocks, look, labels, width, guide.lang)
    if chapter.skill_code:
        story += _notes(labels["notes"], look)
    return story


def _notes(title: str, look: _Look, minimum: int = 3, maximum: int = 12) -> list[Flowable]:
    gap = look.s.body.fontSize * 2.1
    # NOTE: not keepWithNext: kept together that way, the lines would be measured
    # against a whole page; the conditional break keeps heading and lines together.
    heading = para(title, look.notes)
    return [
        CondPageBreak(heading.wrap(400, 400)[1] + minimum * gap + look.s.h2.spaceBefore + look.s.h2.spaceAfter),
        heading,
        NoteLines(gap, minimum, maximum),
    ]


def _contents(guide: TailoredGuide, look: _Look, marks: _Marks, extra: Sequence[tuple[str, str]]) -> list[Flowable]:
    number_width = look.s.body.fontSize * 3
    story: list[Flowable] = [para(guide.labels["contents"], look.s.h1)]
    for key, title in extra[:1] if guide.course else ():
        story.append(ContentsRow(key, para(title, look.contents), marks, number_width))
    extra = extra[1:] if guide.course else extra
    for part in guide.parts:
        if len(guide.parts) > 1 and part.title:
            story.append(para(part.title, look.contents_part))
        for chapter in part.chapters:
            story.append(ContentsRow(chapter.key, para(chapter.title, look.contents), marks, number_width))
    if extra:
        story.append(Spacer(1, look.s.body.fontSize * 0.6))
        for key, title in extra:
            story.append(ContentsRow(key, para(title, look.contents), marks, number_width))
    return story


def _cover(guide: TailoredGuide, look: _Look) -> list[Flowable]:
    t = guide.texts
    body = look.s.body.fontSize
    story: list[Flowable] = [
        Spacer(1, body * 4),
        para(guide.guide.title, look.cover_title),
        para(guide.guide.subtitle, look.cover_sub),
        Spacer(1, body * 3),
    ]
    if guide.senior:
        story.append(para(t["prepared_for"].format(name=guide.senior.name), look.cover_sub))
    elif guide.guide.kind == "beginner":
        story.append(para(t["cohort_guide"], look.cover_sub))
    if guide.course:
        story.append(para(f"{t['the_group']}: {guide.course.cohort_name}", look.s.body))
        story.append(para(f"{t['place']}: {_place(guide.course)}", look.s.body))
    story.append(Spacer(1, body * 3))
    story.append(para("Digiystävä · Helsinki", look.s.body))
    return story


def _place(course: CourseInfo) -> str:
    return ", ".join(v for v in (course.place, course.address) if v)


def _text_width(text: str, style: ParagraphStyle, extra: float = 0) -> float:
    return stringWidth(text, style.fontName, style.fontSize) + extra


def _facts(rows: Sequence[tuple[str, str]], look: _Look, width: float) -> Table:
    cells = [[para(label, look.s.table_header), para(value, look.s.table)] for label, value in rows]
    # NOTE: the label column is as wide as the longest label, so no word is broken.
    first = min(width * 0.45, max(_text_width(label, look.s.table_header, look.s.table.fontSize) for label, _ in rows))
    table = Table(cells, colWidths=[first, width - first], hAlign="LEFT", spaceAfter=look.s.body.fontSize)
    pad = look.s.table.fontSize * 0.4
    table.setStyle(
        TableStyle(
            [
                ("LINEBELOW", (0, 0), (-1, -1), 0.5, colors.HexColor(RULE_GREY)),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), pad),
                ("BOTTOMPADDING", (0, 0), (-1, -1), pad),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table


def _contact(contact) -> str:
    # NOTE: no-break spaces keep a phone number such as 040 123 4567 on one line.
    return " · ".join(v for v in (contact.name, contact.phone.replace(" ", "\u00a0"), contact.email) if v)


def _course_page(guide: TailoredGuide, look: _Look, width: float, marks: _Marks) -> list[Flowable]:
    course, t, labels = guide.course, guide.texts, guide.labels
    assert course is not None
    personal = guide.guide.kind == "beginner"
    title = t["my_course"] if personal else t["course_of_group"]
    rows = [(t["the_group"], course.cohort_name), (t["place"], _place(course))]
    for trainer in course.trainers:
        rows.append((labels["my_trainer"] if personal else t["trainer"], _contact(trainer)))
    if course.coordinator:
        rows.append((t["coordinator"], _contact(course.coordinator)))
    if personal:
        friend = guide.senior.friend_first_name if guide.senior else ""
        rows.append((labels["my_digital_friend"], friend or "_" * 22))
    story: list[Flowable] = [
        PageBreak(),
        ChapterAnchor("course", title, marks),
        para(title, look.s.h1),
        _facts(rows, look, width),
    ]
    if course.sessions:
        story.append(para(t["course_sessions"], look.s.h2))
        table = [[labels["week"], t["date"], t["time"], t["what"]]]
        kinds = {"group": labels["group_lesson"], "practice": labels["friend_practice"]}
        for session in course.sessions:
            what = t["cancelled"] if session.cancelled else kinds.get(session.kind, session.kind)
            table.append([str(session.week), _date(session.date, guide.lang), f"{session.start_time:%H.%M}", what])
        pad = look.s.table.fontSize * 1.2
        week = max(_text_width(labels["week"], look.s.table_header, pad), width * 0.1)
        day = max(_text_width(row[1], look.s.table, pad) for row in table)
        hour = max(_text_width(t["time"], look.s.table_header, pad), _text_width("00.00", look.s.table, pad))
        story.append(
            data_table(table, look.s, col_widths=[week, day, hour, width - week - day - hour], numeric_columns=(0,))
        )
    if guide.roster:
        story.append(CondPageBreak(look.s.body.fontSize * 10))
        story.append(para(t["roster"], look.s.h2))
        table = [[t["name"], t["tablet"], t["digital_friend"], t["needs"]]]
        for line in guide.roster:
            # NOTE: the trainer plans seating, print size and pace from these before the first session.
            needs = ", ".join(t.get(f"need_{code}", code) for code in line.needs) or "–"
            os_name = labels[line.os] if line.os else t["no_tablet"]
            table.append([line.name, os_name, line.friend_first_name or "–", needs])
        story.append(data_table(table, look.s, col_widths=[width * 0.3, width * 0.2, width * 0.22, width * 0.28]))
    return story


def _about_os(guide: TailoredGuide) -> str:
    os_name = guide.os
    return guide.texts[f"only_os_{os_name}"] if os_name else guide.texts["both_os"]


def _glossary(guide: TailoredGuide, look: _Look, marks: _Marks) -> list[Flowable]:
    title = guide.labels["glossary"]
    story: list[Flowable] = [PageBreak(), ChapterAnchor("glossary", title, marks), para(title, look.s.h1)]
    for term, explanation in guide.guide.glossary:
        story.append(Paragraph(f"<b>{escape(term)}</b> – {escape(explanation)}", look.s.body))
    return story


def guide_story(guide: TailoredGuide, size: str = "large", width: float | None = None) -> tuple[list[Flowable], _Marks]:
    """The flowables of a whole guide, and the marks that number its contents."""
    look = _look(size)
    marks = _Marks()
    width = width or _frame_width(size)
    labels = guide.labels
    extra = [("notes", labels["notes"]), ("glossary", labels["glossary"])]
    if guide.course:
        extra.insert(
            0,
            ("course", guide.texts["my_course"] if guide.guide.kind == "beginner" else guide.texts["course_of_group"]),
        )
    story = _cover(guide, look)
    story.append(PageBreak())
    story += _contents(guide, look, marks, extra)
    if guide.course:
        story += _course_page(guide, look, width, marks)
    if guide.guide.kind == "beginner":
        story.append(Spacer(1, look.s.body.fontSize * 0.5))
        story.append(para(_about_os(guide), look.s.body))
        if guide.senior and guide.senior.skill_order:
            story.append(para(guide.texts["your_order"], look.s.body))
    for part in guide.parts:
        for index, chapter in enumerate(part.chapters):
            show_part = part.title if index == 0 and len(guide.parts) > 1 and part.title else None
            story += _chapter(chapter, guide, look, marks, width, show_part)
    story += [
        PageBreak(),
        ChapterAnchor("notes", labels["notes"], marks),
        para(labels["notes"], look.s.h1),
        para(guide.texts["notes_hint"], look.s.body),
        NoteLines(look.s.body.fontSize * 2.1, 3, 40),
    ]
    story += _glossary(guide, look, marks)
    return story, marks


def _frame_width(size: str) -> float:
    from reportlab.lib.pagesizes import A4

    from pdf_templates.styles import _SCALES

    return A4[0] - 2 * _SCALES[size].margin_side - 12  # a little room for paragraph padding


def _check_size(size: str) -> str:
    if size not in SIZES:
        raise ValueError(f"unknown print size {size!r}; use one of: {', '.join(SIZES)}")
    return size


def guide_pdf(guide: TailoredGuide, size: str = "large") -> bytes:
    """The guide as a large-print A4 PDF."""
    size = _check_size(size)
    story, marks = guide_story(guide, size)
    footer = guide.guide.title
    if guide.senior:
        footer = f"{footer} – {guide.senior.name}"
    elif guide.course:
        footer = f"{footer} – {guide.course.cohort_name}"
    out = io.BytesIO()
    build_document(
        out,
        story,
        title=footer,
        lang=guide.lang,
        size=size,
        footer=footer,
        subject=guide.guide.subtitle,
        late=marks.draw_late,
    )
    return out.getvalue()


@dataclass(frozen=True)
class CardInfo:
    volunteer_name: str
    organisation: str
    cohort_name: str
    place: str


def volunteer_cards_pdf(cards: Sequence[CardInfo], lang: str = "fi", size: str = "large") -> bytes:
    """One card per volunteer, two to an A4 page, with a dashed line to cut along."""
    size = _check_size(size)
    look = _look(size)
    width = _frame_width(size)
    t = layout_texts(lang)
    body = look.s.body.fontSize
    card_title = ParagraphStyle("guide-card-title", parent=look.s.h1, spaceBefore=0)
    story: list[Flowable] = []
    for card in cards:
        chapter = volunteer_card(
            lang,
            volunteer_name=card.volunteer_name,
            organisation=card.organisation,
            cohort_name=card.cohort_name,
            place=card.place,
        )
        inner: list[Flowable] = [para(chapter.title, card_title)]
        for block in chapter.blocks:
            if block.kind == "tip":
                inner.append(
                    _tip_box("", block, look, width - body * 2.5, title_style=look.s.small, text_style=look.rule)
                )
            else:
                inner += _blocks([block], look, {}, width - body * 2.5, lang)
        pad = body * 0.9
        box = Table([[inner]], colWidths=[width], hAlign="LEFT")
        box.setStyle(
            TableStyle(
                [
                    ("BOX", (0, 0), (-1, -1), 2, colors.HexColor(HELSINKI_BLUE)),
                    ("LEFTPADDING", (0, 0), (-1, -1), pad),
                    ("RIGHTPADDING", (0, 0), (-1, -1), pad),
                    ("TOPPADDING", (0, 0), (-1, -1), pad * 0.6),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), pad * 0.5),
                ]
            )
        )
        story += [KeepTogether([box, CutLine()])]
    cards_title = volunteer_card(lang).title
    out = io.BytesIO()
    build_document(
        out,
        story,
        title=cards_title,
        lang=lang,
        size=size,
        footer=f"{cards_title} – {t['card_cut']}",
        subject=cards_title,
    )
    return out.getvalue()
