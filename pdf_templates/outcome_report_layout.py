"""The outcome report as an A4 PDF: cover, summary, charts, tables, method note.

The app fills ``ReportPages`` from the report: its figures already as rows of text (the HTML
page shows the same rows) and its charts as pixels drawn at 150 dpi (``ChartRaster``). The
texts and the look's measures are in outcome_report.py.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, PageBreak, Paragraph, Spacer, Table, TableStyle

from digiystava.i18n import format_date
from pdf_templates import outcome_report as look
from pdf_templates.chart_image import ChartImage
from pdf_templates.chart_raster import ChartRaster
from pdf_templates.styles import (
    FONT_BOLD,
    HEADER_BLUE,
    HELSINKI_BLUE,
    WHITE,
    Stylesheet,
    build_document,
    data_table,
    escape,
    para,
    stylesheet,
)

Rows = list[list[str]]


@dataclass(frozen=True)
class ReportPages:
    """What the outcome report prints. Rows start with their header row; None leaves a part out."""

    language: str
    scope_title: str
    scope_detail: str
    generated_on: dt.date
    suppressed: bool  # the whole scope is under the reporting minimum: no figures, only the method
    minimum: int
    cohorts: int  # the cover's key figures
    seniors: int | None  # None when suppressed (not shown)
    completed: int | None
    summary: list[str]
    method_note: list[str]
    charts: Mapping[str, ChartRaster]  # by chart name: "before_after", "levels", "groups"
    levels_rows: Rows
    change_rows: Rows
    course_rows: Rows
    tablet_rows: Rows | None  # None: no tablets lent
    tablets_note: str | None
    wish_rows: Rows | None  # None: nobody named a wish
    wish_respondents: int | None
    group_rows: Rows | None  # None: a single group, nothing to compare
    # None: no follow-up figures shown (none yet, or too few)
    followup_levels_rows: Rows | None = None
    followup_change_rows: Rows | None = None


def outcome_report_pdf(report: ReportPages) -> bytes:
    styles = stylesheet("report")
    t = look.report_texts(report.language)
    story = cover(report, styles) + body(report, styles)
    out = io.BytesIO()
    build_document(
        out,
        story,
        title=f"{t['title']} – {report.scope_title}",
        lang=report.language,
        size="report",
        footer=f"{t['title']} · {report.scope_title}",
        subject=t["subtitle"],
    )
    return out.getvalue()


def cover(report: ReportPages, styles: Stylesheet) -> list[Flowable]:
    lang, t = report.language, look.report_texts(report.language)
    white_title = ParagraphStyle(
        "cover-title", parent=styles.title, textColor=colors.HexColor(WHITE), fontSize=26, leading=32
    )
    white_body = ParagraphStyle(
        "cover-sub", parent=styles.body, textColor=colors.HexColor(WHITE), fontSize=13, leading=18
    )
    band = Table(
        [[[para(t["title"], white_title), para(t["subtitle"], white_body)]]],
        colWidths=[look.CHART_WIDTH],
        rowHeights=[look.COVER_BAND],
    )
    band.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor(HELSINKI_BLUE)),
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("LEFTPADDING", (0, 0), (-1, -1), 9 * mm),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 8 * mm),
            ]
        )
    )
    story: list[Flowable] = [band, Spacer(1, 10 * mm), para(report.scope_title, styles.h1)]
    if report.scope_detail:
        story.append(para(report.scope_detail, styles.body))
    story += [
        para(t["made_on"].format(date=format_date(report.generated_on, lang, "long")), styles.body),
        Spacer(1, 8 * mm),
    ]
    if not report.suppressed:
        story += [key_figures(report, styles), Spacer(1, 4 * mm)]
    bullet = ParagraphStyle("summary", parent=styles.body, leftIndent=5 * mm, bulletIndent=0, fontSize=12, leading=17)
    story += [para(t["summary_heading"], styles.h1)]
    story += [Paragraph(escape(line), bullet, bulletText="•") for line in report.summary]
    story += [Spacer(1, 4 * mm), para(t["privacy_line"].format(minimum=report.minimum), styles.small), PageBreak()]
    return story


def key_figures(report: ReportPages, styles: Stylesheet) -> Table:
    t = look.report_texts(report.language)
    big = ParagraphStyle(
        "key-number",
        parent=styles.body,
        fontName=FONT_BOLD,
        fontSize=look.KEY_FIGURE_PT,
        leading=look.KEY_FIGURE_PT * 1.2,
        textColor=colors.HexColor(HELSINKI_BLUE),
    )
    items = [
        (report.cohorts, t["course_rows"]["cohorts"]),
        (report.seniors, t["course_rows"]["seniors"]),
        (report.completed, t["course_rows"]["completed"]),
    ]
    cells = [[[para(str(value), big), para(label, styles.body)] for value, label in items]]
    table = Table(cells, colWidths=[look.CHART_WIDTH / 3] * 3, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("LINEABOVE", (0, 0), (-1, 0), look.COVER_RULE * 2, colors.HexColor(HELSINKI_BLUE)),
                ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor(HEADER_BLUE)),
                ("TOPPADDING", (0, 0), (-1, -1), 4 * mm),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3 * mm),
                ("LEFTPADDING", (0, 0), (-1, -1), 5 * mm),
            ]
        )
    )
    return table


def body(report: ReportPages, styles: Stylesheet) -> list[Flowable]:
    t = look.report_texts(report.language)
    story: list[Flowable] = []
    if report.suppressed:
        return method(report, styles)
    charts = report.charts
    skill_col = look.SKILL_COLUMN
    rest = look.CHART_WIDTH - skill_col
    if "before_after" in charts:
        story += [chart(charts["before_after"]), PageBreak()]
    story += [
        para(t["skills_heading"], styles.h1),
        KeepTogether(
            [
                para(t["levels_table"], styles.h2),
                data_table(
                    report.levels_rows,
                    styles,
                    numeric_columns=[1, 2, 3, 4],
                    col_widths=[skill_col, 18 * mm, 30 * mm, 30 * mm, rest - 78 * mm],
                ),
            ]
        ),
        KeepTogether(
            [
                para(t["change_table"], styles.h2),
                data_table(
                    report.change_rows,
                    styles,
                    numeric_columns=[1, 2, 3, 4, 5],
                    col_widths=[skill_col, 20 * mm, 25 * mm, 20 * mm, 30 * mm, rest - 95 * mm],
                ),
            ]
        ),
        PageBreak(),
    ]
    if "levels" in charts:
        story += [chart(charts["levels"]), PageBreak()]
    story += followup(report, styles)
    story += course(report, styles)
    if report.group_rows is not None:
        story += [
            CondPageBreak(90 * mm),
            para(t["groups_heading"], styles.h1),
            data_table(
                report.group_rows,
                styles,
                numeric_columns=[1, 2, 3],
                col_widths=[
                    look.CHART_WIDTH * 0.4,
                    look.CHART_WIDTH * 0.14,
                    look.CHART_WIDTH * 0.23,
                    look.CHART_WIDTH * 0.23,
                ],
            ),
        ]
        if "groups" in charts:
            story.append(chart(charts["groups"]))
    return story + method(report, styles)


def followup(report: ReportPages, styles: Stylesheet) -> list[Flowable]:
    """Before, after and follow-up side by side, and the test of the follow-up against the end (when shown)."""
    if report.followup_levels_rows is None or report.followup_change_rows is None:
        return []
    t = look.report_texts(report.language)
    skill_col = look.SKILL_COLUMN
    rest = look.CHART_WIDTH - skill_col
    return [
        para(t["followup_heading"], styles.h1),
        para(t["followup_intro"], styles.body),
        KeepTogether(
            [
                para(t["followup_levels_table"], styles.h2),
                data_table(
                    report.followup_levels_rows,
                    styles,
                    numeric_columns=[1, 2, 3, 4],
                    col_widths=[skill_col, 18 * mm, 32 * mm, rest - 75 * mm, 25 * mm],
                ),
            ]
        ),
        KeepTogether(
            [
                para(t["followup_change_table"], styles.h2),
                data_table(
                    report.followup_change_rows,
                    styles,
                    numeric_columns=[1, 2, 3, 4, 5],
                    col_widths=[skill_col, 20 * mm, 25 * mm, 20 * mm, 30 * mm, rest - 95 * mm],
                ),
            ]
        ),
        PageBreak(),
    ]


def course(report: ReportPages, styles: Stylesheet) -> list[Flowable]:
    t = look.report_texts(report.language)
    width = look.CHART_WIDTH
    story: list[Flowable] = [
        para(t["course_heading"], styles.h1),
        data_table(report.course_rows, styles, numeric_columns=[1], col_widths=[width * 0.6, width * 0.25]),
    ]
    tablets = [para(t["tablets_heading"], styles.h2)]
    if report.tablet_rows is not None:
        tablets.append(
            data_table(
                report.tablet_rows,
                styles,
                numeric_columns=[1, 2, 3, 4, 5],
                col_widths=[width * 0.25] + [width * 0.15] * 5,
            )
        )
        if report.tablets_note:
            tablets.append(para(report.tablets_note, styles.small))
    else:
        tablets.append(para(t["no_tablets"], styles.body))
    story.append(KeepTogether(tablets))
    wishes = [para(t["wishes_heading"], styles.h2)]
    if report.wish_rows is not None:
        wishes += [
            para(t["wishes_base"].format(count=report.wish_respondents), styles.body),
            data_table(report.wish_rows, styles, numeric_columns=[1], col_widths=[width * 0.6, width * 0.25]),
        ]
    else:
        wishes.append(para(t["no_wishes"], styles.body))
    story.append(KeepTogether(wishes))
    return story


def method(report: ReportPages, styles: Stylesheet) -> list[Flowable]:
    t = look.report_texts(report.language)
    return [CondPageBreak(60 * mm), para(t["method_heading"], styles.h1)] + [
        para(text, styles.body) for text in report.method_note
    ]


def chart(raster: ChartRaster) -> ChartImage:
    """A chart (drawn at 150 dpi) at the text width."""
    return ChartImage(raster, look.CHART_WIDTH)
