"""The report libraries, loaded in the background as a served worker starts.

The first outcome PDF a worker makes would otherwise wait while scipy's statistics,
matplotlib and reportlab (with the fonts) load and run for the first time: about 1.6 s
of CPU, most of the first report's wait. A thread does that work once the worker is up,
at about 140 MB more memory per worker; ``DIGIYSTAVA_WARM_START=0`` leaves it to the
first report instead (a small server with many workers and few reports).
"""

from __future__ import annotations

import logging
import threading

from assessments.instrument import current_instrument
from digiystava.languages import DEFAULT_LANGUAGE
from digiystava.reports import charts
from digiystava.reports.statistics import paired_skill_stats
from pdf_templates.outcome_report import decimal_symbol, report_texts

log = logging.getLogger("digiystava.reports")

# Seven seniors with differing changes: enough for the signed-rank test to run, not be skipped.
_PAIRS = [(0, 1), (0, 2), (1, 3), (0, 3), (1, 2), (2, 4), (0, 4)]


def warm_up() -> None:
    """Run each library once as a report does: the test, the report's two charts to pixels
    with its own labels and fonts (matplotlib keeps their layout), the PDF fonts."""
    from pdf_templates.outcome_report_layout import outcome_report_pdf  # noqa: F401 - reportlab's layout
    from pdf_templates.styles import register_fonts

    paired_skill_stats(_PAIRS)
    lang = DEFAULT_LANGUAGE
    texts, instrument = report_texts(lang), current_instrument()
    labels = [skill.short_label(lang) for skill in instrument.skills]
    phases = {"before_label": texts["before"], "after_label": texts["after"]}
    n, counts = len(labels), [[1] * len(instrument.levels)] * len(labels)
    bars = charts.before_after_bars(
        labels,
        [1.0] * n,
        [2.5] * n,
        title=texts["chart_before_after"],
        axis_label=texts["axis_level"],
        decimal=decimal_symbol(lang),
        **phases,
    )
    levels = charts.level_distribution(
        labels,
        counts,
        counts,
        [f"{level.value} {level.label(lang)}" for level in instrument.levels],
        title=texts["chart_levels"],
        axis_label=texts["axis_share"],
        **phases,
    )
    for figure in (bars, levels):
        charts.render_raster(figure)  # NOTE: not through the chart cache: no report will have these figures
    register_fonts()


def _warm_up_logged() -> None:
    try:
        warm_up()
    except Exception:  # noqa: BLE001 - a failed warm-up only leaves the work to the first report
        log.exception("loading the report libraries ahead failed; the first report will load them")


def start_warm_up() -> threading.Thread:
    thread = threading.Thread(target=_warm_up_logged, name="report-warm-up", daemon=True)
    thread.start()
    return thread
