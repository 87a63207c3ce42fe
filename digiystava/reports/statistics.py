"""Statistics of the steering group's outcome report: pure functions over plain data.

Skill levels are the 0-4 self-assessment scale; a senior counts only for a skill they
answered both before and after the course. scipy is imported inside the function that runs
the test, so importing this module (e.g. by the web app at start-up) stays cheap.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # numpy loads with the first report, not when the app starts
    import numpy as np

__all__ = [
    "EXACT_MAX_PAIRS",
    "INDEPENDENT_LEVEL",
    "MIN_TESTED_PAIRS",
    "NOTE_BELOW_MINIMUM",
    "NOTE_TIED",
    "NOTE_UNCHANGED_EXCLUDED",
    "NO_CHANGE",
    "PERMUTATION_MAX_PAIRS",
    "REPORTING_MINIMUM",
    "TOO_FEW_PAIRS",
    "WILCOXON_EXACT",
    "WILCOXON_NORMAL",
    "SkillStats",
    "holm_adjust",
    "paired_skill_stats",
]

# Level 2, "I can do it on my own", is the outcome the programme aims at.
INDEPENDENT_LEVEL = 2
# Groups smaller than this are never shown to the steering group.
REPORTING_MINIMUM = 5
# With n non-zero differences the smallest two-sided exact p is 2 / 2**n: 0.0625 for n = 5,
# so below 6 a test could never show a change and is not run.
MIN_TESTED_PAIRS = 6
# Without ties, scipy's exact null distribution (what its "auto" picks up to 50 pairs).
EXACT_MAX_PAIRS = 50
# With ties, the exact test over all 2**n sign patterns up to this many pairs, past it the
# tie-corrected normal approximation. (The limit dates from when each pattern was drawn,
# ~0.09 s at n = 10; it stays, so that a report's method and p-values do not change.)
PERMUTATION_MAX_PAIRS = 10

# test_method codes
WILCOXON_EXACT = "wilcoxon-exact"
WILCOXON_NORMAL = "wilcoxon-normal"
TOO_FEW_PAIRS = "too-few-pairs"
NO_CHANGE = "no-change"

# note codes
NOTE_TIED = "tied-differences"
NOTE_UNCHANGED_EXCLUDED = "unchanged-pairs-excluded"
NOTE_BELOW_MINIMUM = "below-reporting-minimum"


@dataclass(frozen=True)
class SkillStats:
    """Before/after summary and Wilcoxon signed-rank test of one skill.

    Shares are fractions 0..1. ``effect_size`` is the matched-pairs rank-biserial
    correlation, positive when seniors rated themselves higher after the course.
    ``wilcoxon_statistic`` is the smaller of the two signed-rank sums (scipy's two-sided
    statistic); it and ``p_value`` are ``None`` when no test was run.
    """

    n: int
    mean_before: float
    mean_after: float
    median_before: float
    median_after: float
    share_independent_before: float
    share_independent_after: float
    improved: int
    same: int
    declined: int
    wilcoxon_statistic: float | None
    p_value: float | None
    effect_size: float
    test_method: str
    notes: tuple[str, ...]


def _check_pairs(pairs: Sequence[tuple[int, int]]) -> None:
    if not pairs:
        raise ValueError("no pairs: a skill nobody answered twice has no statistics")
    # NOTE: the common case in one pass in C (a programme's skill has ~14,000 pairs); the loop names a bad pair.
    if set(map(len, pairs)) == {2} and set(map(type, chain.from_iterable(pairs))) == {int}:
        return
    for pair in pairs:
        if len(pair) != 2 or any(isinstance(v, bool) or not isinstance(v, int) for v in pair):
            raise ValueError(f"each pair must be two integer levels, got {pair!r}")


def _signed_rank_sums(differences: np.ndarray) -> tuple[float, float, bool]:
    """Sums of the average ranks of |d| for d > 0 and d < 0, and whether |d| has ties."""
    import numpy as np
    from scipy.stats import rankdata

    magnitudes = np.abs(differences)
    ranks = rankdata(magnitudes, method="average")
    has_ties = len(np.unique(magnitudes)) < len(magnitudes)
    return float(ranks[differences > 0].sum()), float(ranks[differences < 0].sum()), has_ties


def paired_skill_stats(pairs: list[tuple[int, int]]) -> SkillStats:
    """Summarise and test the (before, after) levels of one skill, one pair per senior.

    The test is the two-sided Wilcoxon signed-rank test on ``after - before``. Unchanged
    pairs are left out of the ranking (Wilcoxon's own "wilcox" zero method) but still count
    in ``n``, the means, medians and shares. With ``k`` non-zero differences:

    - every difference zero: no test; ``test_method`` "no-change", p ``None``, effect 0;
    - ``k < 6``: no test, ``test_method`` "too-few-pairs" (no outcome could reach p < 0.05);
    - no tied ``|d|`` and ``k <= 50``: ``scipy.stats.wilcoxon(method="exact")``, the exact
      null distribution, "wilcoxon-exact". On the 0-4 scale ``|d|`` takes at most four
      values, so from 6 pairs on there are always ties and this applies only to wider scales;
    - tied ``|d|`` and ``k <= 10``: all ``2**k`` sign patterns of the average ranks, the
      exact null distribution given the ties (what scipy's
      ``method=PermutationMethod(n_resamples=2**k)`` enumerates, counted here by sum):
      "wilcoxon-exact" with the note "tied-differences" (scipy's "exact" would assume no
      ties, and its "auto" enumerates up to 13 pairs, which costs ~0.7 s per skill);
    - otherwise ``method="asymptotic"`` with the tie-corrected variance and a continuity
      correction of 0.5: "wilcoxon-normal". The correction keeps the approximation closer
      to the exact p for the heavily tied differences of a 5-level scale at cohort sizes.

    scipy is given the integer differences rather than the two samples, the form its
    documentation recommends, which also spares sign flips on zeros.

    Raises ``ValueError`` for an empty list or a pair that is not two integers.
    """
    import numpy as np

    _check_pairs(pairs)
    levels = np.fromiter(chain.from_iterable(pairs), dtype=np.int64, count=2 * len(pairs)).reshape(-1, 2)
    before, after = levels[:, 0], levels[:, 1]
    differences = after - before
    nonzero = differences[differences != 0]
    n = len(pairs)
    improved = int((differences > 0).sum())
    declined = int((differences < 0).sum())
    same = n - improved - declined

    notes: list[str] = []
    if n < REPORTING_MINIMUM:
        notes.append(NOTE_BELOW_MINIMUM)

    statistic: float | None = None
    p_value: float | None = None
    effect_size = 0.0
    if len(nonzero) == 0:
        method = NO_CHANGE
    else:
        rank_sum_up, rank_sum_down, has_ties = _signed_rank_sums(nonzero)
        # rank_sum_up + rank_sum_down = k(k+1)/2, the total rank sum.
        effect_size = (rank_sum_up - rank_sum_down) / (rank_sum_up + rank_sum_down)
        if len(nonzero) < MIN_TESTED_PAIRS:
            method = TOO_FEW_PAIRS
        else:
            if has_ties:
                notes.append(NOTE_TIED)
            if same:
                notes.append(NOTE_UNCHANGED_EXCLUDED)
            method, statistic, p_value = _wilcoxon(nonzero, has_ties)

    return SkillStats(
        n=n,
        mean_before=float(before.mean()),
        mean_after=float(after.mean()),
        median_before=float(np.median(before)),
        median_after=float(np.median(after)),
        share_independent_before=float(np.mean(before >= INDEPENDENT_LEVEL)),
        share_independent_after=float(np.mean(after >= INDEPENDENT_LEVEL)),
        improved=improved,
        same=same,
        declined=declined,
        wilcoxon_statistic=statistic,
        p_value=p_value,
        effect_size=float(effect_size),
        test_method=method,
        notes=tuple(notes),
    )


def _wilcoxon(nonzero: np.ndarray, has_ties: bool) -> tuple[str, float, float]:
    import numpy as np

    # The test depends only on the multiset of differences, so the same one (a report
    # asked for again, as PDF after HTML, or another cohort with the same changes) is
    # tested once; the exhaustive permutation test is the costly part of a report.
    return _wilcoxon_of(tuple(np.sort(nonzero).tolist()), has_ties)


@lru_cache(maxsize=4096)
def _wilcoxon_of(differences: tuple[int, ...], has_ties: bool) -> tuple[str, float, float]:
    import numpy as np
    from scipy.stats import wilcoxon

    nonzero = np.array(differences, dtype=np.int64)
    k = len(nonzero)
    if has_ties and k <= PERMUTATION_MAX_PAIRS:
        return _all_sign_patterns(nonzero)
    if not has_ties and k <= EXACT_MAX_PAIRS:
        code, method, correction = WILCOXON_EXACT, "exact", False
    else:
        code, method, correction = WILCOXON_NORMAL, "asymptotic", True
    result = wilcoxon(
        nonzero,
        zero_method="wilcox",
        correction=correction,
        alternative="two-sided",
        method=method,
    )
    return code, float(result.statistic), min(1.0, float(result.pvalue))


def _all_sign_patterns(nonzero: np.ndarray) -> tuple[str, float, float]:
    """The exact test given ties: the signed-rank sum over all 2**k sign patterns of the average ranks.

    The same null distribution as scipy's ``PermutationMethod(n_resamples=2**k)``, which
    draws each pattern (0.09 s at k = 10); here the patterns are counted by their sum, the
    ranks doubled to whole numbers (an average rank is whole or half). The counts over
    2**k are exact in floating point, so the p-value is scipy's to the last bit
    (tests/unit/test_statistics.py compares them).
    """
    import numpy as np
    from scipy.stats import rankdata

    doubled = np.rint(2 * rankdata(np.abs(nonzero), method="average")).astype(np.int64)
    counts = np.zeros(int(doubled.sum()) + 1, dtype=np.int64)  # patterns by doubled sum of the upward ranks
    counts[0] = 1
    for rank in doubled:
        counts[rank:] = counts[rank:] + counts[: len(counts) - rank]
    up = int(doubled[nonzero > 0].sum())
    patterns = 2 ** len(nonzero)
    lower, upper = int(counts[: up + 1].sum()), int(counts[up:].sum())
    p_value = min(1.0, 2 * min(lower, upper) / patterns)
    statistic = min(up, int(doubled.sum()) - up) / 2
    return WILCOXON_EXACT, float(statistic), p_value


def holm_adjust(p_values: list[float | None]) -> list[float | None]:
    """Holm-Bonferroni step-down adjusted p-values, in the input order.

    The i-th smallest of the m present p-values is multiplied by m - i + 1, kept at least
    as large as the one before it (so the order never inverts) and capped at 1. ``None``
    (a skill that was not tested) is passed through and does not count in m.
    """
    present = sorted(
        ((p, index) for index, p in enumerate(p_values) if p is not None),
        key=lambda item: item[0],
    )
    m = len(present)
    adjusted: list[float | None] = [None] * len(p_values)
    running = 0.0
    for rank, (p, index) in enumerate(present):
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"p-value out of range: {p!r}")
        running = max(running, min(1.0, (m - rank) * p))
        adjusted[index] = running
    return adjusted
