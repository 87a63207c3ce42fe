"""The papers a senior gets: the loan agreement and the return reminder, large print, in their language."""

from __future__ import annotations

import io
from typing import Any

import anyio
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table, TableStyle

from cohorts.tables import Loan
from cohorts.tablets.loans import donation_allows_keeping
from cohorts.tablets.schemas import ACCESSORY_NAMES
from digiystava import clock
from digiystava.access import Principal, ensure_location, require
from digiystava.errors import NotFound
from digiystava.i18n import format_date
from pdf_templates.loan_texts import texts
from pdf_templates.styles import RULE_GREY, build_document, data_table, escape, para, step_list, stylesheet

DONOR_NAMES = {"DNA": "DNA", "Vanhusten turva": "Vanhusten turva ry"}


async def _loan_facts(principal: Principal, loan_id: int) -> dict[str, Any]:
    require(principal, "loans.read")
    row = (
        await Loan.select(
            Loan.all_columns(),
            Loan.tablet.asset_tag.as_alias("asset_tag"),
            Loan.tablet.model.as_alias("model"),
            Loan.tablet.serial_number.as_alias("serial"),
            Loan.tablet.os.as_alias("os"),
            Loan.tablet.donor.as_alias("donor"),
            Loan.tablet.donor_name.as_alias("donor_name"),
            Loan.participant.first_name.as_alias("first_name"),
            Loan.participant.last_name.as_alias("last_name"),
            Loan.participant.phone.as_alias("phone"),
            Loan.participant.language.as_alias("language"),
            Loan.cohort.name.as_alias("cohort_name"),
            Loan.cohort.location.as_alias("location_id"),
            Loan.cohort._.location._.name.as_alias("location_name"),
            Loan.cohort._.location._.address.as_alias("location_address"),
        )
        .output(load_json=True)
        .where(Loan.id == loan_id)
        .first()
    )
    if row is None:
        raise NotFound()
    ensure_location(principal, row["location_id"])
    row["may_keep"] = await donation_allows_keeping(row["tablet"])
    return row


def _accessory_lines(accessories: dict[str, Any], t: dict[str, Any]) -> list[str]:
    names = t["accessory"]
    lines = [names[name] for name in ACCESSORY_NAMES if accessories.get(name)]  # type: ignore[index]
    if accessories.get("sim_card") and (accessories.get("sim_number") or accessories.get("data_plan")):
        lines.append(
            str(t["sim"]).format(number=accessories.get("sim_number") or "–", plan=accessories.get("data_plan") or "–")
        )
    return lines


def _place(row: dict[str, Any]) -> str:
    return ", ".join(p for p in (row["location_name"], row["location_address"]) if p)


def _signature_block(t: dict[str, Any], styles) -> Table:
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


def render_agreement(row: dict[str, Any]) -> bytes:
    lang = row["language"] if row["language"] in ("fi", "sv", "en") else "fi"
    t = texts(lang)
    styles = stylesheet("large")
    name = f"{row['first_name']} {row['last_name']}".strip()
    accessories = _accessory_lines(row["accessories"] or {}, t)
    donor = row["donor_name"] if row["donor"] == "other" else DONOR_NAMES.get(row["donor"], row["donor"])
    facts = [
        [t["borrower"], name],
        [t["phone"], row["phone"] or "–"],
        [t["course"], row["cohort_name"]],
        [t["place"], _place(row)],
    ]
    device = [
        [t["asset_tag"], row["asset_tag"]],
        [t["model"], row["model"]],
        [t["serial"], row["serial"]],
        [t["os"], {"android": "Android", "ipados": "iPadOS"}.get(row["os"], row["os"])],
        [t["donor"], donor],
        [t["accessories"], ", ".join(accessories) or t["no_accessories"]],
        [t["loan_date"], format_date(row["out_at"], lang, "long")],
        [t["return_date"], format_date(row["due_date"], lang, "long")],
    ]
    terms = [
        str(term).format(keep_term=t["keep_allowed"] if row["may_keep"] else t["keep_not_allowed"])
        for term in t["terms"]
    ]  # type: ignore[union-attr]
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
                para(str(t["help_course"]).format(place=_place(row)), styles.body),
            ]
        ),
    ]
    signature: list[Any] = [para(t["signatures"], styles.h1)]
    if row["agreement_signed_on"]:
        signature.append(
            para(str(t["signed_on"]).format(date=format_date(row["agreement_signed_on"], lang, "long")), styles.body)
        )
    signature += [Spacer(1, 2 * mm), _signature_block(t, styles)]
    story.append(KeepTogether(signature))
    out = io.BytesIO()
    build_document(
        out,
        story,
        title=f"{t['agreement_title']} {row['asset_tag']}",
        lang=lang,
        size="large",
        footer=f"Digiystävä · {row['asset_tag']} · {name}",
    )
    return out.getvalue()


def render_reminder(row: dict[str, Any]) -> bytes:
    lang = row["language"] if row["language"] in ("fi", "sv", "en") else "fi"
    t = texts(lang)
    styles = stylesheet("large")
    name = f"{row['first_name']} {row['last_name']}".strip()
    due = format_date(row["due_date"], lang, "long")
    key = "reminder_overdue" if row["due_date"] < clock.today() else "reminder_due"
    story = [
        para(t["reminder_title"], styles.title),
        para(str(t["reminder_hello"]).format(name=name), styles.body),
        para(str(t[key]).format(tag=row["asset_tag"], date=due), styles.body),
        para(str(t["reminder_where"]).format(place=_place(row)), styles.body),
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
        title=f"{t['reminder_title']} {row['asset_tag']}",
        lang=lang,
        size="large",
        footer=f"Digiystävä · {row['asset_tag']}",
    )
    return out.getvalue()


async def agreement_pdf(principal: Principal, loan_id: int) -> bytes:
    row = await _loan_facts(principal, loan_id)
    return await anyio.to_thread.run_sync(render_agreement, row)


async def reminder_pdf(principal: Principal, loan_id: int) -> bytes:
    row = await _loan_facts(principal, loan_id)
    return await anyio.to_thread.run_sync(render_reminder, row)
