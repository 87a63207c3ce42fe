"""The large-print paper form of the skills self-assessment: one A4 page per senior, in the senior's language.

The app fills ``SkillForms`` with the instrument's levels and statements in each senior's
language; the form's own words are under the context "skill form" in the shared catalogs.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import cache

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Paragraph, Table, TableStyle

from digiystava.i18n import normalise
from pdf_templates.styles import BLACK, build_document, data_table, escape, para, stylesheet
from pdf_templates.wording import NP_, in_language

NO_ANSWER_MARK = "–"
SKILL_COLUMN = 116 * mm
BOX_COLUMN = 9 * mm
TIGHT = TableStyle(
    [("LEFTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]
)

TEXTS = {
    "title": NP_("skill form", "My digital skills – self-assessment"),
    "before": NP_("skill form", "At the start of the course"),
    "after": NP_("skill form", "At the end of the course"),
    "name": NP_("skill form", "Name"),
    "code": NP_("skill form", "Code"),
    "course": NP_("skill form", "Course"),
    "date": NP_("skill form", "Date"),
    "intro": NP_("skill form", "Tick one box on each line: how well can you do it now? The numbers mean:"),
    "skill": NP_("skill form", "What I can do"),
    "no_answer": NP_("skill form", "I do not want to answer"),
    "followup": NP_("skill form", "At the follow-up, about three months after the course"),
    "wishes": NP_("skill form", "What would you like to learn? Tick all that fit."),
    "wishes_other": NP_("skill form", "Something else:"),
}


@cache
def texts(lang: str) -> dict[str, str]:
    return in_language(TEXTS, lang)


@dataclass(frozen=True)
class SeniorForm:
    """One senior's page: who, and the instrument in the senior's language."""

    language: str
    first_name: str
    last_name: str
    pseudonym: str
    levels: tuple[tuple[int, str], ...]  # (value, label) from the lowest level up
    statements: tuple[str, ...]  # one line to tick per skill
    wishes: tuple[str, ...] = ()  # what one may wish to learn, printed on the back of the first form


@dataclass(frozen=True)
class SkillForms:
    """A cohort's forms (or one senior's); ``phase`` is "before", "after" or None (no phase printed)."""

    language: str  # the document's (its title and metadata)
    cohort_name: str
    phase: str | None
    seniors: tuple[SeniorForm, ...]


class TickBox(Flowable):
    """An empty square to tick with a pen."""

    def __init__(self, side: float = 6.5 * mm) -> None:
        super().__init__()
        self.side = side
        self.width = self.height = side

    def draw(self) -> None:
        self.canv.setStrokeColor(colors.HexColor(BLACK))
        self.canv.setLineWidth(1.2)
        self.canv.rect(0, 0, self.side, self.side)


def senior_page(senior: SeniorForm, cohort_name: str, phase: str | None) -> list[Flowable]:
    """The flowables of one senior's form."""
    words = texts(normalise(senior.language))
    styles = stylesheet("large")
    name = f"{senior.first_name} {senior.last_name}".strip()
    when = words[phase] if phase else ""
    title = ParagraphStyle("skill-form-title", parent=styles.h1, spaceBefore=0)
    facts = Table(
        [
            [
                Paragraph(f"<b>{escape(words['name'])}:</b> {escape(name)}", styles.table),
                Paragraph(f"<b>{escape(words['code'])}:</b> {escape(senior.pseudonym)}", styles.table),
            ],
            [
                Paragraph(
                    f"<b>{escape(words['course'])}:</b> {escape(cohort_name)}"
                    + (f" – <b>{escape(when)}</b>" if when else ""),
                    styles.table,
                ),
                Paragraph(f"<b>{escape(words['date'])}:</b> __________", styles.table),
            ],
        ],
        colWidths=[112 * mm, 58 * mm],
        hAlign="LEFT",
        spaceAfter=styles.body.fontSize * 0.5,
    )
    facts.setStyle(TIGHT)
    story: list[Flowable] = [Paragraph(escape(words["title"]), title), facts, para(words["intro"], styles.body)]
    legend = [f"<b>{value}</b> = {escape(label)}" for value, label in senior.levels]
    legend.append(f"<b>{NO_ANSWER_MARK}</b> = {escape(words['no_answer'])}")
    half = (len(legend) + 1) // 2
    legend_rows = [
        [
            Paragraph(legend[i], styles.table),
            Paragraph(legend[i + half], styles.table) if i + half < len(legend) else "",
        ]
        for i in range(half)
    ]
    legend_table = Table(
        legend_rows, colWidths=[85 * mm, 85 * mm], hAlign="LEFT", spaceAfter=styles.body.fontSize * 0.6
    )
    legend_table.setStyle(TIGHT)
    story.append(legend_table)
    marks = [str(value) for value, _label in senior.levels] + [NO_ANSWER_MARK]
    header = ParagraphStyle("skill-form-mark", parent=styles.table_header, alignment=TA_CENTER)
    rows: list[list[object]] = [[words["skill"], *[Paragraph(mark, header) for mark in marks]]]
    rows += [[statement, *[TickBox() for _ in marks]] for statement in senior.statements]
    table = data_table(rows, styles, col_widths=[SKILL_COLUMN] + [BOX_COLUMN] * len(marks))
    table.setStyle(
        TableStyle(
            [
                ("ALIGN", (1, 0), (-1, -1), "CENTER"),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    story.append(table)
    if phase == "before" and senior.wishes:
        story += [PageBreak(), *wishes_page(senior, words, styles, name)]
    return story


def wishes_page(senior: SeniorForm, words: dict[str, str], styles, name: str) -> list[Flowable]:
    """The back of the first form: what the senior would like to learn, to tick, and a few lines of their own.

    Named like the front, so a sheet that comes apart still tells whose it is.
    """
    wishes = [[TickBox(), Paragraph(escape(w), styles.table)] for w in senior.wishes]
    rows = [
        [*wishes[i][:2], *(wishes[i + 1][:2] if i + 1 < len(wishes) else ["", ""])] for i in range(0, len(wishes), 2)
    ]
    table = Table(rows, colWidths=[10 * mm, 75 * mm, 10 * mm, 75 * mm], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    who = f"<b>{escape(words['name'])}:</b> {escape(name)} – <b>{escape(words['code'])}:</b> {escape(senior.pseudonym)}"
    lines = [Paragraph("_" * 48, styles.body) for _ in range(3)]
    return [
        Paragraph(who, styles.table),
        Paragraph(escape(words["wishes"]), styles.h2),
        table,
        Paragraph(escape(words["wishes_other"]), styles.body),
        *lines,
    ]


def skill_forms(forms: SkillForms) -> bytes:
    """One page per senior, as PDF bytes."""
    story: list[Flowable] = []
    for i, senior in enumerate(forms.seniors):
        if i:
            story.append(PageBreak())
        story += senior_page(senior, forms.cohort_name, forms.phase)
    lang = normalise(forms.language)
    out = io.BytesIO()
    build_document(
        out, story, title=texts(lang)["title"], lang=lang, size="large", footer="Digiystävä", page_numbers=False
    )
    return out.getvalue()
