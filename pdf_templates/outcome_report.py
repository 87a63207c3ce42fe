"""What the steering group's outcome report says (texts/outcome_report.json) and how it looks.

The texts serve every format (PDF, HTML, the summary in JSON); placeholders in braces are
filled by the report code. The layout is in outcome_report_layout.py.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

# NOTE: millimetres in points, written out so importing the texts does not load reportlab.
mm = 72 / 25.4

LANGUAGES = ("fi", "sv", "en")
# Decimal separators of the report languages (charts and tables).
DECIMAL = {"fi": ",", "sv": ",", "en": "."}

# --- Look ----------------------------------------------------------------------------
CHART_WIDTH = 170 * mm  # the A4 text width at the "report" margins
COVER_BAND = 62 * mm  # height of the blue band at the top of the cover
COVER_RULE = 1.2  # points
KEY_FIGURE_PT = 24  # the big numbers on the cover
SKILL_COLUMN = 50 * mm


@cache
def report_texts(lang: str) -> dict[str, Any]:
    """All texts of the report in ``lang`` (Finnish for an unknown language)."""
    path = Path(__file__).parent / "texts" / "outcome_report.json"
    texts = json.loads(path.read_text(encoding="utf-8"))
    return texts[lang if lang in LANGUAGES else "fi"]


def number(value: float | int | None, lang: str, digits: int = 1) -> str:
    """A number in the report's language: 2,4 in Finnish and Swedish, 2.4 in English."""
    if value is None:
        return "–"
    if isinstance(value, int):
        return str(value)
    return f"{value:.{digits}f}".replace(".", DECIMAL.get(lang, ","))


def percent(share: float | None, lang: str) -> str:
    """A share 0..1 as a whole percentage, "42 %" (with a no-break space)."""
    return "–" if share is None else f"{round(share * 100)}\u00a0%"


def p_value(p: float | None, lang: str) -> str:
    """p to three decimals; below 0.001 as "< 0,001"."""
    if p is None:
        return "–"
    if p < 0.001:
        return "<\u00a0" + number(0.001, lang, 3)
    return number(p, lang, 3)
