"""Which seniors may count in a report at all: the unit rule behind every figure.

A report adds up units: a cohort's seniors, or one skill's before/after pairs within a
cohort. A unit counts only when it holds at least the reporting minimum, so any total is
a sum of groups that could each be shown, and no two reports (a location's and one of its
cohorts') differ by a small group. A donor's borrowers are a slice of a cohort; the slice
and the rest of the cohort must then both be empty or large enough, or a cohort report
minus a donor report would reveal the rest.
"""

from __future__ import annotations

from digiystava.reports.statistics import REPORTING_MINIMUM, suppress_small_groups


def unit_counts(inside: int, whole: int, minimum: int = REPORTING_MINIMUM) -> bool:
    """Whether ``inside`` seniors out of a unit of ``whole`` may count in a report."""
    if inside <= 0:
        return False
    if inside > whole:
        raise ValueError("a slice cannot be larger than its unit")
    hidden = suppress_small_groups({"inside": inside, "rest": whole - inside}, total=whole, minimum=minimum)
    return "inside" not in hidden
