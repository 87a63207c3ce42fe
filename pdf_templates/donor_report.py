"""The donor report: what happened to a donor's tablets, and the donations received."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from digiystava.i18n import N_, format_date, translate
from pdf_templates.styles import build_document, data_table, para, stylesheet


@dataclass(frozen=True)
class Donation:
    received_on: dt.date
    count: int
    reference: str


@dataclass(frozen=True)
class DonorTablets:
    """What the report prints; ``figures`` are (label in ``language``, number) in the page's order."""

    language: str
    donor: str
    made_on: dt.date
    figures: tuple[tuple[str, int], ...]
    donations: tuple[Donation, ...]


def donor_tablets(report: DonorTablets) -> bytes:
    lang = report.language

    def _(message: str) -> str:
        return translate(lang, message)

    title = _(N_("Tablets of %(donor)s")) % {"donor": report.donor}
    styles = stylesheet("report")
    story = [
        para(title, styles.title),
        para(format_date(report.made_on, lang, "long"), styles.body),
        data_table(
            [[_(N_("Figure")), _(N_("Number"))], *[[label, str(value)] for label, value in report.figures]],
            styles,
            numeric_columns=[1],
        ),
        para(_(N_("Donations")), styles.h1),
        data_table(
            [
                [_(N_("Received")), _(N_("Count")), _(N_("Reference"))],
                *[[format_date(d.received_on, lang), str(d.count), d.reference] for d in report.donations],
            ],
            styles,
            numeric_columns=[1],
        ),
    ]
    out = io.BytesIO()
    build_document(out, story, title=title, lang=lang, size="report", footer="Digiystävä")
    return out.getvalue()
