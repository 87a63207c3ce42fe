"""A senior's skills before and after each course, with the chart the senior's and the progress pages show."""

from __future__ import annotations

import functools
from typing import Any

import anyio

from assessments import progress
from digiystava.access import Principal
from digiystava.i18n import _, current_language
from digiystava.reports import charts
from digiystava.reports.visuals import chart_text


async def progress_with_charts(
    principal: Principal, participant_id: int
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The senior's skills before and after per course (``progress.senior_progress``), each with its chart."""
    lang = current_language()
    senior, courses = await progress.senior_progress(principal, participant_id, lang)
    words: dict[str, Any] = {
        "before_label": _("At the start"),
        "after_label": _("At the end"),
        "axis_label": _("Level, 0–4"),
    }
    for course in courses:
        course["chart"] = await anyio.to_thread.run_sync(
            functools.partial(_progress_chart, course, words, "." if lang == "en" else ",")
        )
    return senior, courses


def _progress_chart(course: dict[str, Any], words: dict[str, Any], decimal: str) -> str:
    """The senior's level per skill, before against after, as inline SVG (drawn off the event loop)."""
    figure = charts.before_after_bars(
        [s["short"] for s in course["skills"]],
        [s["before"] for s in course["skills"]],
        [s["after"] for s in course["skills"]],
        title=chart_text(course["name"]),
        decimal=decimal,
        **words,
    )
    return charts.render_svg(figure)
