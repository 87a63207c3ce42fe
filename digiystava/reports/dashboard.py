"""The programme dashboard: by term, seniors reached, seats and waiting lists, tablets, assessments and follow-ups due.

Coordinators see every figure. The steering group sees aggregates only, under the
reports' rule: a course's seniors count only when the course has at least the minimum
placed (its waiting list likewise), so every figure is a sum over whole groups of five
or more, and a term's figure under the minimum is hidden as well.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

from assessments.followup import FOLLOWUP_DUE_AFTER, FOLLOWUP_LAST_CALL
from assessments.tables import Assessment
from cohorts.tables import Cohort, Enrolment, Loan
from digiystava import clock
from digiystava.access import Principal, require
from digiystava.reports.charts import render_svg
from digiystava.reports.statistics import REPORTING_MINIMUM
from digiystava.schemas import Out

MEASURES = ("cohorts", "seats", "seniors", "waitlisted", "lent", "out", "overdue", "assessments_due", "followups_due")
# Figures about seniors; seats and courses are not.
ABOUT_SENIORS = frozenset(MEASURES) - {"cohorts", "seats"}
PLACED = ("enrolled", "completed", "dropped")


class TermFigures(Out):
    term: str  # "2026-autumn"
    year: int
    season: str  # spring (January-July) or autumn (August-December), by the course's start
    cohorts: int | None = None
    seats: int | None = None
    seniors: int | None = None
    waitlisted: int | None = None
    lent: int | None = None
    out: int | None = None
    overdue: int | None = None
    assessments_due: int | None = None
    followups_due: int | None = None


class Dashboard(Out):
    generated_on: dt.date
    minimum: int
    aggregated: bool  # the steering group's view: courses under the minimum left out, small figures hidden
    terms: list[TermFigures]


def term_of(start: dt.date) -> tuple[int, str]:
    return start.year, "spring" if start.month <= 7 else "autumn"


async def dashboard(principal: Principal, today: dt.date | None = None) -> Dashboard:

    require(principal, "dashboard.read")
    today = today or clock.today()
    aggregated = principal.role != "coordinator"
    cohorts = await Cohort.select(Cohort.id, Cohort.start_date, Cohort.end_date, Cohort.status, Cohort.capacity).where(
        Cohort.status != "cancelled"
    )
    enrolments = await Enrolment.select(Enrolment.cohort, Enrolment.participant, Enrolment.status)
    loans = await Loan.select(Loan.cohort, Loan.participant, Loan.returned_at, Loan.due_date)
    answered = {
        (a["cohort"], a["participant"], a["phase"])
        for a in await Assessment.select(Assessment.cohort, Assessment.participant, Assessment.phase)
    }
    placed: dict[int, set[int]] = defaultdict(set)
    waiting: Counter = Counter()
    status: dict[tuple[int, int], str] = {}
    for e in enrolments:
        if e["status"] in PLACED:
            placed[e["cohort"]].add(e["participant"])
            status[(e["cohort"], e["participant"])] = e["status"]
        elif e["status"] == "waitlisted":
            waiting[e["cohort"]] += 1
    counts: dict[tuple[int, str], Counter] = defaultdict(Counter)
    by_id = {c["id"]: c for c in cohorts}
    for c in cohorts:
        figures = counts[term_of(c["start_date"])]
        figures["cohorts"] += 1
        figures["seats"] += c["capacity"]
        counted = not aggregated or len(placed[c["id"]]) >= REPORTING_MINIMUM
        if not aggregated or waiting[c["id"]] >= REPORTING_MINIMUM:
            figures["waitlisted"] += waiting[c["id"]]
        if not counted:
            continue
        started = c["status"] in ("running", "completed")
        for participant in placed[c["id"]]:
            key = (c["id"], participant)
            if started:
                figures["seniors"] += 1
                if key + ("before",) not in answered:
                    figures["assessments_due"] += 1
            if c["status"] == "completed" and status[key] == "completed":
                if key + ("after",) not in answered:
                    figures["assessments_due"] += 1
                # NOTE: the call list's window: due from 13 weeks after the end, listed until 26 weeks after.
                window = today - FOLLOWUP_LAST_CALL < c["end_date"] <= today - FOLLOWUP_DUE_AFTER
                if window and key + ("followup",) not in answered:
                    figures["followups_due"] += 1
    for loan in loans:
        lent_on = by_id.get(loan["cohort"])
        if lent_on is None or (aggregated and len(placed[lent_on["id"]]) < REPORTING_MINIMUM):
            continue
        figures = counts[term_of(lent_on["start_date"])]
        figures["lent"] += 1
        if loan["returned_at"] is None:
            figures["out"] += 1
            figures["overdue"] += int(loan["due_date"] < today)
    terms = []
    for (year, season), figures in sorted(counts.items()):
        values = {
            m: (None if aggregated and m in ABOUT_SENIORS and 0 < figures[m] < REPORTING_MINIMUM else figures[m])
            for m in MEASURES
        }
        terms.append(TermFigures(term=f"{year}-{season}", year=year, season=season, **values))
    return Dashboard(generated_on=today, minimum=REPORTING_MINIMUM, aggregated=aggregated, terms=terms)


def term_bars(labels: list[str], series: list[tuple[str, list[int | None]]], title: str) -> str:
    """Grouped vertical bars, one group per term, as SVG for the page (its numbers are in the table beside it)."""
    from matplotlib.figure import Figure

    from pdf_templates.styles import CHART_AFTER, CHART_BEFORE

    colours = (CHART_AFTER, CHART_BEFORE, "#2E7D32")
    hatches = (None, "///", "..")
    fig = Figure(figsize=(6.4, 3.4))
    ax = fig.add_subplot()
    width = 0.8 / max(len(series), 1)
    for n, (name, values) in enumerate(series):
        xs = [i + (n - (len(series) - 1) / 2) * width for i in range(len(labels))]
        heights = [v or 0 for v in values]
        ax.bar(xs, heights, width * 0.95, label=name, color=colours[n % 3], hatch=hatches[n % 3], edgecolor="#000000")
        for x, v in zip(xs, values):
            ax.text(x, (v or 0), "–" if v is None else str(v), ha="center", va="bottom", fontsize=8)
    ax.set_xticks(range(len(labels)), labels, fontsize=9)
    ax.set_title(title, fontsize=11, loc="left")
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(fontsize=8, frameon=False, loc="upper left", bbox_to_anchor=(0, -0.12), ncols=len(series))
    fig.tight_layout()
    return render_svg(fig)
