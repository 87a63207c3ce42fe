"""The large-print paper form: one A4 page per senior, in the senior's language."""

from __future__ import annotations

import io
import json
from functools import cache
from importlib import resources
from typing import Any

import anyio
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Paragraph, Table, TableStyle

from assessments.instrument import Instrument, current_instrument
from assessments.services import ASSESSABLE_STATUSES, cohort_in_scope
from assessments.tables import PHASES
from cohorts.tables import Enrolment
from digiystava.access import Principal, require
from digiystava.errors import InvalidInput
from digiystava.i18n import N_, normalise
from pdf_templates.styles import BLACK, build_document, data_table, escape, para, stylesheet

NO_ANSWER_MARK = "–"
SKILL_COLUMN = 116 * mm
BOX_COLUMN = 9 * mm
TIGHT = TableStyle(
    [("LEFTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]
)


@cache
def form_texts() -> dict[str, dict[str, str]]:
    """The form's own words per language, kept in ``pdf_templates/skill_form.json``."""
    return json.loads(resources.files("pdf_templates").joinpath("skill_form.json").read_text(encoding="utf-8"))


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


def senior_page(instrument: Instrument, senior: dict[str, Any], cohort_name: str, phase: str | None) -> list[Flowable]:
    """The flowables of one senior's form; ``senior`` has name, pseudonym and language."""
    lang = normalise(senior["language"])
    words = form_texts()[lang]
    styles = stylesheet("large")
    name = f"{senior['first_name']} {senior['last_name']}".strip()
    when = words[phase] if phase else ""
    title = ParagraphStyle("skill-form-title", parent=styles.h1, spaceBefore=0)
    facts = Table(
        [
            [
                Paragraph(f"<b>{escape(words['name'])}:</b> {escape(name)}", styles.table),
                Paragraph(f"<b>{escape(words['code'])}:</b> {escape(senior['pseudonym'])}", styles.table),
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
    legend = [f"<b>{level.value}</b> = {escape(level.label(lang))}" for level in instrument.levels]
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
    marks = [str(level.value) for level in instrument.levels] + [NO_ANSWER_MARK]
    header = ParagraphStyle("skill-form-mark", parent=styles.table_header, alignment=TA_CENTER)
    rows: list[list[object]] = [[words["skill"], *[Paragraph(mark, header) for mark in marks]]]
    rows += [[skill.statement(lang), *[TickBox() for _ in marks]] for skill in instrument.skills]
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
    if phase == "before":
        story += [PageBreak(), *wishes_page(instrument, words, lang, styles, name, senior["pseudonym"])]
    return story


def wishes_page(
    instrument: Instrument, words: dict[str, str], lang: str, styles: Any, name: str, pseudonym: str
) -> list[Flowable]:
    """The back of the first form: what the senior would like to learn, to tick, and a few lines of their own.

    Named like the front, so a sheet that comes apart still tells whose it is.
    """
    wishes = [[TickBox(), Paragraph(escape(w.label(lang)), styles.table)] for w in instrument.wishes]
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
    who = f"<b>{escape(words['name'])}:</b> {escape(name)} – <b>{escape(words['code'])}:</b> {escape(pseudonym)}"
    lines = [Paragraph("_" * 48, styles.body) for _ in range(3)]
    return [
        Paragraph(who, styles.table),
        Paragraph(escape(words["wishes"]), styles.h2),
        table,
        Paragraph(escape(words["wishes_other"]), styles.body),
        *lines,
    ]


async def paper_forms(
    principal: Principal, cohort_id: int, participant_id: int | None = None, phase: str | None = None, lang: str = "fi"
) -> bytes:
    """The cohort's forms, one page per senior (or the one senior's page), as PDF bytes."""
    require(principal, "assessments.read")
    if phase is not None and phase not in PHASES:
        raise InvalidInput("phase", N_("use before, after or followup"))
    cohort = await cohort_in_scope(principal, cohort_id)
    where = [Enrolment.cohort == cohort_id, Enrolment.status.is_in(list(ASSESSABLE_STATUSES))]
    if participant_id is not None:
        where.append(Enrolment.participant == participant_id)
    seniors = (
        await Enrolment.select(
            Enrolment.participant.first_name.as_alias("first_name"),
            Enrolment.participant.last_name.as_alias("last_name"),
            Enrolment.participant.pseudonym.as_alias("pseudonym"),
            Enrolment.participant.language.as_alias("language"),
        )
        .where(*where)
        .order_by(Enrolment.participant.last_name)
        .order_by(Enrolment.participant.first_name)
    )
    if not seniors:
        raise InvalidInput(
            "participant_id" if participant_id is not None else "cohort_id",
            "no senior enrolled in this cohort to print a form for",
        )
    instrument = current_instrument()
    story: list[Flowable] = []
    for i, senior in enumerate(seniors):
        if i:
            story.append(PageBreak())
        story += senior_page(instrument, senior, cohort["name"], phase)
    lang = normalise(seniors[0]["language"]) if participant_id is not None else normalise(lang)
    out = io.BytesIO()
    title = form_texts()[lang]["title"]
    # Laying out pages takes a while for a whole cohort: keep it off the event loop.
    await anyio.to_thread.run_sync(
        lambda: build_document(
            out, story, title=title, lang=lang, size="large", footer="Digiystävä", page_numbers=False
        )
    )
    return out.getvalue()
