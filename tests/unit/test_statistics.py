"""Outcome-report statistics, checked against values worked out by hand."""

from __future__ import annotations

import itertools
import math
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from digiystava.reports.statistics import (
    NO_CHANGE,
    NOTE_BELOW_MINIMUM,
    NOTE_TIED,
    NOTE_UNCHANGED_EXCLUDED,
    PERMUTATION_MAX_PAIRS,
    TOO_FEW_PAIRS,
    WILCOXON_EXACT,
    WILCOXON_NORMAL,
    holm_adjust,
    paired_skill_stats,
)


def exact_two_sided_p(ranks: list[float], rank_sum_up: float) -> float:
    """Two-sided p of the signed-rank sum by enumerating all 2**n sign patterns."""
    sums = [
        sum(rank for rank, up in zip(ranks, signs) if up)
        for signs in itertools.product((True, False), repeat=len(ranks))
    ]
    lower = sum(1 for s in sums if s <= rank_sum_up) / len(sums)
    upper = sum(1 for s in sums if s >= rank_sum_up) / len(sums)
    return min(1.0, 2 * min(lower, upper))


def test_seven_pairs_by_hand() -> None:
    # (before, after) -> difference
    # (0,2) +2 | (1,2) +1 | (0,3) +3 | (2,2) 0 | (1,0) -1 | (0,1) +1 | (1,3) +2
    # before 0,1,0,2,1,0,1: sum 5, mean 5/7; sorted 0,0,0,1,1,1,2 -> median 1
    # after  2,2,3,2,0,1,3: sum 13, mean 13/7; sorted 0,1,2,2,2,3,3 -> median 2
    # level >= 2: before only the 2 -> 1/7; after 2,2,3,2,3 -> 5/7
    # non-zero |d| sorted 1,1,1,2,2,3 -> average ranks 2,2,2,4.5,4.5,6 (total 21)
    # rank sums: up 4.5+2+6+2+4.5 = 19, down 2 -> r = (19 - 2) / 21 = 17/21
    # exact: R- <= 2 only for no negative sign or one rank-2 negative: 1 + 3 = 4 of 64
    # patterns, doubled for two sides -> p = 8/64 = 0.125
    pairs = [(0, 2), (1, 2), (0, 3), (2, 2), (1, 0), (0, 1), (1, 3)]
    stats = paired_skill_stats(pairs)
    assert stats.n == 7
    assert stats.mean_before == pytest.approx(5 / 7)
    assert stats.mean_after == pytest.approx(13 / 7)
    assert (stats.median_before, stats.median_after) == (1.0, 2.0)
    assert stats.share_independent_before == pytest.approx(1 / 7)
    assert stats.share_independent_after == pytest.approx(5 / 7)
    assert (stats.improved, stats.same, stats.declined) == (5, 1, 1)
    assert stats.effect_size == pytest.approx(17 / 21)
    assert stats.wilcoxon_statistic == 2.0
    assert stats.p_value == pytest.approx(0.125)
    assert stats.p_value == pytest.approx(exact_two_sided_p([2, 2, 2, 4.5, 4.5, 6], 19))
    assert stats.test_method == WILCOXON_EXACT
    assert stats.notes == (NOTE_TIED, NOTE_UNCHANGED_EXCLUDED)


def test_exact_p_without_ties_matches_enumeration() -> None:
    # NOTE: a 0-4 scale cannot give 6 distinct |d|, so this uses wider integers.
    # d = 1, 3, 5, 7, -9, 11, 13 -> ranks 1..7, the -9 has rank 5: R+ = 28 - 5 = 23.
    # Subsets of {1..7} summing to <= 5 (R- <= 5): {}, {1}..{5}, {1,2}, {1,3}, {1,4},
    # {2,3} = 10 of 128 -> p = 20/128 = 0.15625
    pairs = [(0, 1), (0, 3), (0, 5), (0, 7), (9, 0), (0, 11), (0, 13)]
    stats = paired_skill_stats(pairs)
    assert stats.test_method == WILCOXON_EXACT
    assert stats.notes == ()
    assert stats.wilcoxon_statistic == 5.0
    assert stats.p_value == pytest.approx(20 / 128)
    assert stats.p_value == pytest.approx(exact_two_sided_p([1, 2, 3, 4, 5, 6, 7], 23))
    assert stats.effect_size == pytest.approx((23 - 5) / 28)


def test_exact_p_with_ties_matches_enumeration() -> None:
    # d: +1 x5, -1 x1, +2 x3, +3 x1, and two unchanged pairs left out of the ranks.
    # |d| = 1 (six of them) -> ranks 1..6, average 3.5; 2 (three) -> 7..9, average 8; 3 -> 10
    # R- = 3.5, R+ = 55 - 3.5 = 51.5 -> r = 48/55
    # R- <= 3.5: no negative sign, or one of the six rank-3.5 negative: 7 of 1024 -> p = 14/1024
    pairs = [(0, 1)] * 5 + [(2, 1)] + [(1, 3)] * 3 + [(0, 3)] + [(2, 2), (0, 0)]
    stats = paired_skill_stats(pairs)
    assert stats.test_method == WILCOXON_EXACT
    assert stats.notes == (NOTE_TIED, NOTE_UNCHANGED_EXCLUDED)
    assert stats.p_value == pytest.approx(14 / 1024)
    ranks = [3.5] * 6 + [8.0] * 3 + [10.0]
    assert stats.p_value == pytest.approx(exact_two_sided_p(ranks, 51.5))
    assert stats.wilcoxon_statistic == 3.5
    assert stats.effect_size == pytest.approx(48 / 55)


def test_normal_approximation_by_hand() -> None:
    # 12 pairs, 10 up by one and 2 down by one: all |d| tied at rank 6.5.
    # R+ = 65, mean k(k+1)/4 = 39, variance k(k+1)(2k+1)/24 - (12**3 - 12)/48 = 162.5 - 35.75
    # z = (65 - 39 - 0.5) / sqrt(126.75), the 0.5 being the continuity correction.
    pairs = [(0, 1)] * 10 + [(1, 0)] * 2
    stats = paired_skill_stats(pairs)
    z = (65 - 39 - 0.5) / math.sqrt(126.75)
    assert stats.test_method == WILCOXON_NORMAL
    assert stats.p_value == pytest.approx(math.erfc(z / math.sqrt(2)))
    assert stats.wilcoxon_statistic == 13.0
    assert stats.effect_size == pytest.approx((65 - 13) / 78)


@pytest.mark.parametrize(
    ("nonzero", "method"),
    [
        (5, TOO_FEW_PAIRS),  # the smallest possible exact p would be 2/32 > 0.05
        (6, WILCOXON_EXACT),  # the smallest possible exact p is 2/64 < 0.05
        (PERMUTATION_MAX_PAIRS, WILCOXON_EXACT),  # last size that enumerates sign patterns
        (PERMUTATION_MAX_PAIRS + 1, WILCOXON_NORMAL),  # tied and larger: normal approximation
    ],
)
def test_method_follows_the_number_of_changed_pairs(nonzero: int, method: str) -> None:
    pairs = [(1, 2)] * (nonzero - 1) + [(2, 1)] + [(3, 3)] * 4
    stats = paired_skill_stats(pairs)
    assert stats.test_method == method
    assert (stats.p_value is None) == (method == TOO_FEW_PAIRS)
    assert (stats.wilcoxon_statistic is None) == (method == TOO_FEW_PAIRS)


def test_too_few_pairs_still_describes_the_change() -> None:
    # d = +1, +2, -1 -> |d| ranks 1.5, 3, 1.5: r = (4.5 - 1.5) / 6 = 0.5
    stats = paired_skill_stats([(0, 1), (0, 2), (1, 0)])
    assert stats.test_method == TOO_FEW_PAIRS
    assert stats.p_value is None
    assert stats.effect_size == pytest.approx(0.5)
    assert stats.notes == (NOTE_BELOW_MINIMUM,)


def test_no_change() -> None:
    stats = paired_skill_stats([(2, 2), (0, 0), (4, 4), (1, 1), (3, 3), (2, 2)])
    assert stats.test_method == NO_CHANGE
    assert stats.p_value is None
    assert stats.wilcoxon_statistic is None
    assert stats.effect_size == 0.0
    assert (stats.improved, stats.same, stats.declined) == (0, 6, 0)


def test_decline_gives_a_negative_effect() -> None:
    stats = paired_skill_stats([(after, before) for before, after in [(0, 1)] * 10 + [(1, 0)] * 2])
    assert stats.effect_size == pytest.approx(-(65 - 13) / 78)
    assert stats.declined == 10


def test_results_are_plain_floats() -> None:
    # Report JSON is serialised by the standard library, which rejects numpy scalars.
    stats = paired_skill_stats([(0, 2), (1, 2), (0, 3), (2, 2), (1, 0), (0, 1), (1, 3)])
    names = ("mean_before", "median_after", "share_independent_after", "p_value", "effect_size")
    for name in names:
        assert type(getattr(stats, name)) is float


@pytest.mark.parametrize(
    "pairs",
    [
        [],  # nobody answered the skill twice
        [(1, None)],  # a missing answer must be filtered out before
        [(True, 2)],  # a bool is not a level
        [(1, 2, 3)],  # not a pair
        [(1.0, 2)],  # a float is not a level
    ],
)
def test_rejects_bad_pairs(pairs: list) -> None:
    with pytest.raises(ValueError):
        paired_skill_stats(pairs)


def test_import_does_not_load_scipy() -> None:
    code = "import sys, digiystava.reports.statistics; assert 'scipy' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize(
    ("p_values", "expected"),
    [
        # m = 3: 0.01*3, 0.03*2, then 0.04*1 raised to the 0.06 before it
        ([0.01, 0.04, 0.03, None], [0.03, 0.06, 0.06, None]),
        ([0.02, 0.03], [0.04, 0.04]),  # 0.03*1 would fall below 0.02*2: kept monotone
        ([0.5, 0.6, 0.001], [1.0, 1.0, 0.003]),  # capped at 1
        ([0.04], [0.04]),  # a single test is not adjusted
        ([None, None], [None, None]),  # nothing tested
        ([], []),
    ],
)
def test_holm_adjust(p_values: list[float | None], expected: list[float | None]) -> None:
    adjusted = holm_adjust(p_values)
    assert [a is None for a in adjusted] == [e is None for e in expected]
    assert [a for a in adjusted if a is not None] == pytest.approx([e for e in expected if e is not None])


@pytest.mark.parametrize("bad", [-0.1, 1.5, float("nan")])
def test_holm_rejects_impossible_p(bad: float) -> None:
    with pytest.raises(ValueError):
        holm_adjust([0.01, bad])


@pytest.mark.parametrize(
    ("n", "below"),
    [(1, True), (4, True), (5, False), (19, False)],  # 5 is the first reportable size
)
def test_a_skill_answered_by_fewer_than_five_is_marked(n: int, below: bool) -> None:
    assert (NOTE_BELOW_MINIMUM in paired_skill_stats([(0, 1)] * n).notes) is below


def test_the_same_differences_are_tested_once_whatever_their_order():
    from digiystava.reports import statistics

    pairs = [(0, 2), (1, 3), (0, 1), (2, 3), (1, 1), (0, 3), (1, 2), (0, 2)]
    statistics._wilcoxon_of.cache_clear()
    first = paired_skill_stats(pairs)
    again = paired_skill_stats(list(reversed(pairs)))
    info = statistics._wilcoxon_of.cache_info()
    assert (info.misses, info.hits) == (1, 1)
    assert first == again and first.test_method == WILCOXON_EXACT and first.p_value is not None


@settings(max_examples=80, deadline=None, database=None)
@given(
    st.lists(st.integers(-4, 4).filter(bool), min_size=6, max_size=PERMUTATION_MAX_PAIRS).filter(
        lambda d: len({abs(x) for x in d}) < len(d)
    )
)
def test_the_tied_exact_test_is_scipys_permutation_test_to_the_last_bit(differences):
    """The sign patterns counted by sum give scipy's p-value and statistic exactly, not approximately."""
    from scipy.stats import PermutationMethod, wilcoxon

    scipy = wilcoxon(differences, zero_method="wilcox", method=PermutationMethod(n_resamples=2 ** len(differences)))
    stats = paired_skill_stats([(0, d) if d > 0 else (-d, 0) for d in differences])
    assert stats.test_method == WILCOXON_EXACT
    assert (stats.wilcoxon_statistic, stats.p_value) == (float(scipy.statistic), min(1.0, float(scipy.pvalue)))
