"""The papers a senior gets with a tablet: the loan agreement and the return reminder, large print."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table, TableStyle

from digiystava.i18n import format_date, normalise
from pdf_templates.loan_texts import texts
from pdf_templates.styles import RULE_GREY, Stylesheet, build_document, data_table, escape, para, step_list, stylesheet

OS_NAMES = {"android": "Android", "ipados": "iPadOS"}


@dataclass(frozen=True)
class LoanLetter:
    """What a loan's letters print; the app fills it from the loan, its tablet, senior and course."""

    language: str  # the senior's
    first_name: str
    last_name: str
    phone: str
    course: str
    place: str  # the course location's name and address
    asset_tag: str
    model: str
    serial: str
    os: str  # "android" or "ipados"
    donor: str  # as printed: "Vanhusten turva ry"
    accessories: tuple[str, ...]  # accessory codes that came with the tablet, in the tracker's order
    sim_number: str | None  # both None unless a SIM card came with a number or a plan
    data_plan: str | None
    out_at: dt.datetime
    due_date: dt.date
    signed_on: dt.date | None
    may_keep: bool  # the donation lets the senior keep the tablet after the course
    overdue: bool  # the return date has passed (the reminder's wording)

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


def _accessory_lines(letter: LoanLetter, t: dict[str, Any]) -> list[str]:
    lines = [t["accessory"][code] for code in letter.accessories]
    if letter.sim_number or letter.data_plan:
        lines.append(t["sim"].format(number=letter.sim_number or "–", plan=letter.data_plan or "–"))
    return lines


def _signature_block(t: dict[str, Any], styles: Stylesheet) -> Table:
    label = styles.small
    table = Table(
        [
            ["", ""],
            [Paragraph(escape(t["sign_borrower"]), label), Paragraph(escape(t["sign_lender"]), label)],
            ["", ""],
            [Paragraph(escape(t["name_in_print"]), label), Paragraph(escape(t["name_in_print"]), label)],
        ],
        colWidths=[82 * mm, 82 * mm],
        rowHeights=[18 * mm, None, 14 * mm, None],
        hAlign="LEFT",
    )
    table.setStyle(
        TableStyle(
            [
                ("LINEBELOW", (0, 0), (0, 0), 1, colors.HexColor(RULE_GREY)),
                ("LINEBELOW", (1, 0), (1, 0), 1, colors.HexColor(RULE_GREY)),
                ("LINEBELOW", (0, 2), (0, 2), 1, colors.HexColor(RULE_GREY)),
                ("LINEBELOW", (1, 2), (1, 2), 1, colors.HexColor(RULE_GREY)),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 8 * mm),
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
            ]
        )
    )
    return table


def agreement(letter: LoanLetter) -> bytes:
    """The loan agreement, signed by the senior and the lender."""
    lang = normalise(letter.language)
    t = texts(lang)
    styles = stylesheet("large")
    facts = [
        [t["borrower"], letter.name],
        [t["phone"], letter.phone or "–"],
        [t["course"], letter.course],
        [t["place"], letter.place],
    ]
    device = [
        [t["asset_tag"], letter.asset_tag],
        [t["model"], letter.model],
        [t["serial"], letter.serial],
        [t["os"], OS_NAMES.get(letter.os, letter.os)],
        [t["donor"], letter.donor],
        [t["accessories"], ", ".join(_accessory_lines(letter, t)) or t["no_accessories"]],
        [t["loan_date"], format_date(letter.out_at, lang, "long")],
        [t["return_date"], format_date(letter.due_date, lang, "long")],
    ]
    terms = [*t["terms"], t["keep_allowed"] if letter.may_keep else t["keep_not_allowed"]]
    widths = [58 * mm, 112 * mm]
    story: list[Any] = [
        para(t["agreement_title"], styles.title),
        para(t["agreement_intro"], styles.body),
        data_table(facts, styles, col_widths=widths, header_rows=0),
        para(t["device"], styles.h1),
        data_table(device, styles, col_widths=widths, header_rows=0),
        para(t["terms_title"], styles.h1),
        *step_list(terms, styles),
        KeepTogether(
            [
                para(t["help_title"], styles.h1),
                para(t["help"], styles.body),
                para(t["help_course"].format(place=letter.place), styles.body),
            ]
        ),
    ]
    signature: list[Any] = [para(t["signatures"], styles.h1)]
    if letter.signed_on:
        signature.append(para(t["signed_on"].format(date=format_date(letter.signed_on, lang, "long")), styles.body))
    signature += [Spacer(1, 2 * mm), _signature_block(t, styles)]
    story.append(KeepTogether(signature))
    out = io.BytesIO()
    build_document(
        out,
        story,
        title=f"{t['agreement_title']} {letter.asset_tag}",
        lang=lang,
        size="large",
        footer=f"Digiystävä · {letter.asset_tag} · {letter.name}",
    )
    return out.getvalue()


def reminder(letter: LoanLetter) -> bytes:
    """The reminder to bring the tablet back, before or after the return date."""
    lang = normalise(letter.language)
    t = texts(lang)
    styles = stylesheet("large")
    due = format_date(letter.due_date, lang, "long")
    key = "reminder_overdue" if letter.overdue else "reminder_due"
    story = [
        para(t["reminder_title"], styles.title),
        para(t["reminder_hello"].format(name=letter.name), styles.body),
        para(t[key].format(tag=letter.asset_tag, date=due), styles.body),
        para(t["reminder_where"].format(place=letter.place), styles.body),
        para(t["reminder_wipe"], styles.body),
        para(t["help_title"], styles.h1),
        para(t["help"], styles.body),
        Spacer(1, 6 * mm),
        para(t["reminder_thanks"], styles.body),
        para("Digiystävä", styles.body),
    ]
    out = io.BytesIO()
    build_document(
        out,
        story,
        title=f"{t['reminder_title']} {letter.asset_tag}",
        lang=lang,
        size="large",
        footer=f"Digiystävä · {letter.asset_tag}",
    )
    return out.getvalue()
