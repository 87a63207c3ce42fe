"""The charts of a report, described once and drawn through the chart cache as pixels (PDF) or SVG (pages)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from assessments.instrument import current_instrument
from digiystava.reports.charts import chart_cache
from digiystava.reports.schemas import OutcomeReport
from pdf_templates.chart_raster import ChartRaster
from pdf_templates.outcome_report import decimal_symbol, report_texts


def visual_order(text: str) -> str:
    """Right-to-left runs in display order (the style sheet's rule; loaded on first use)."""
    from pdf_templates.styles import visual_order as order

    return order(text)


def chart_text(text: str) -> str:
    """User text for a chart: "$" would otherwise start matplotlib's maths mode."""
    return text.replace("$", r"\$")


@dataclass(frozen=True)
class ChartSpec:
    name: str
    kind: str  # a builder of charts.CHART_BUILDERS
    alt: str  # the text alternative
    inputs: dict[str, Any]

    def raster(self, dpi: int = 150) -> ChartRaster:
        inputs = self.inputs
        if "group_labels" in inputs:
            # NOTE: matplotlib neither reorders nor joins right-to-left text in a raster;
            # the browser does it for SVG, so only the raster gets the visual order.
            inputs = {**inputs, "group_labels": [visual_order(label) for label in inputs["group_labels"]]}
        return chart_cache.raster(self.kind, dpi=dpi, **inputs)

    def svg(self) -> str:
        return chart_cache.svg(self.kind, **self.inputs)


def chart_specs(report: OutcomeReport) -> list[ChartSpec]:
    """Before/after bars and level distributions of the skills; change across groups when compared."""
    if report.suppressed:
        return []
    lang = report.language
    t = report_texts(lang)
    instrument = current_instrument()
    labels = [instrument.skill(s.code).short_label(lang) for s in report.skills]
    phases = {"before_label": t["before"], "after_label": t["after"]}
    levels = len(instrument.levels)
    if all(s.suppressed for s in report.skills):
        # NOTE: no skill has figures (e.g. no "after" answers yet): the tables say why, an empty chart would not.
        specs: list[ChartSpec] = []
    else:
        specs = [
            ChartSpec(
                "before_after",
                "before_after_bars",
                t["chart_alt_before_after"].format(count=len(labels)),
                {
                    "labels": labels,
                    "before": [s.mean_before for s in report.skills],
                    "after": [s.mean_after for s in report.skills],
                    "title": t["chart_before_after"],
                    "axis_label": t["axis_level"],
                    "decimal": decimal_symbol(lang),
                    **phases,
                },
            ),
            ChartSpec(
                "levels",
                "level_distribution",
                t["chart_alt_levels"],
                {
                    "labels": labels,
                    "before": [s.levels_before or [0] * levels for s in report.skills],
                    "after": [s.levels_after or [0] * levels for s in report.skills],
                    "level_labels": [f"{lv.value} {lv.label(lang)}" for lv in instrument.levels],
                    "title": t["chart_levels"],
                    "axis_label": t["axis_share"],
                    **phases,
                },
            ),
        ]
    shown = [g for g in report.groups if not g.suppressed]
    if len(shown) >= 2:
        specs.append(
            ChartSpec(
                "groups",
                "change_across_groups",
                t["chart_alt_groups"],
                {
                    "group_labels": [chart_text(g.label) for g in shown],
                    "before_means": [g.mean_before for g in shown],
                    "after_means": [g.mean_after for g in shown],
                    "title": t["chart_groups"],
                    "axis_label": t["axis_level"],
                    "decimal": decimal_symbol(lang),
                    **phases,
                },
            )
        )
    return specs
