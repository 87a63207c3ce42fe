"""The funder's PDF prints its counts and hours as the reader's language writes numbers (Babel)."""

import pytest

from pdf_templates.funder_report import FunderPages, funder_report_pdf
from tests.pdf_text import page_texts


def _text(lang: str) -> str:
    pages = FunderPages(
        language=lang,
        title="T",
        subtitle="S",
        headings=(),
        summary_title="Summary",
        summary=(),
        sections=(("Reach", [["", "n"], ["Volunteers' hours", 558.0], ["Seniors", 1234], ["Share", 2.5]]),),
        method="M",
    )
    return page_texts(funder_report_pdf(pages))[0]


@pytest.mark.parametrize(("lang", "expected"), [("fi", ["558", "1 234", "2,5"]), ("en", ["558", "1,234", "2.5"])])
def test_counts_and_hours_are_written_in_the_reports_language(lang, expected):
    text = _text(lang)
    assert "558.0" not in text
    for figure in expected:
        assert figure in text, (figure, text)
