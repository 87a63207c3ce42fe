"""The auditor itself: it finds what subtraction reveals, and only that."""

import pytest

from tests.report_auditor import Auditor, Mismatch, Truth


def programme(**parts):
    """One cohort's seniors by part, each with a level: programme(DNA=8, none=3)."""
    truth, groups, n = Truth(), {}, 0
    for part, size in parts.items():
        groups[part] = set()
        for _ in range(size):
            n += 1
            key = (1, n)
            groups[part].add(key)
            truth.values[(key, "head")] = 1
            truth.values[(key, "after:email")] = n % 5
    return truth, groups


def released(auditor, truth, group, figure):
    auditor.equation(group, "head", len(group), figure)
    auditor.equation(group, "after:email", sum(truth.value((k, "after:email")) for k in group), figure)


@pytest.mark.parametrize(
    "parts, hidden",
    [
        ({"DNA": 8, "VT": 8, "none": 3}, 3),  # the demo's cohort 10: cohort - DNA - VT
        ({"DNA": 5, "VT": 5, "none": 2}, 2),  # 5 + 5 + 2
        ({"DNA": 5, "VT": 5, "none": 1}, 1),  # one senior's own level
    ],
)
def test_cohort_minus_its_donor_slices_is_found(parts, hidden):
    truth, groups = programme(**parts)
    auditor = Auditor(truth)
    released(auditor, truth, set().union(*groups.values()), "cohort")
    released(auditor, truth, groups["DNA"], "DNA")
    released(auditor, truth, groups["VT"], "VT")
    findings = auditor.findings()
    # One per measure: their count, and the sum of their levels.
    assert len(findings) == 2
    for finding in findings:
        assert finding.seniors == frozenset(groups["none"]) and len(finding.seniors) == hidden
        assert {"cohort", "DNA", "VT"} <= set(finding.figures)


def test_the_difference_of_two_seniors_is_found():
    # Two overlapping groups of six: their difference is senior 1's level minus senior 7's.
    truth, groups = programme(a=7)
    keys = sorted(groups["a"])
    auditor = Auditor(truth)
    released(auditor, truth, set(keys[:6]), "first six")
    released(auditor, truth, set(keys[1:]), "last six")
    findings = auditor.findings()
    assert findings and all(finding.seniors == {keys[0], keys[6]} for finding in findings)


def test_unions_of_large_blocks_determine_nothing():
    truth, groups = programme(DNA=8, VT=6, none=5)
    auditor = Auditor(truth)
    released(auditor, truth, set().union(*groups.values()), "cohort")
    released(auditor, truth, groups["DNA"], "DNA")
    released(auditor, truth, groups["VT"], "VT")
    released(auditor, truth, groups["DNA"] | groups["none"], "DNA and none")
    assert auditor.findings() == [] and auditor.small_atoms() == []


def test_different_measures_do_not_combine():
    # The count of a group and the sum of a measure nobody else in it has are separate unknowns.
    truth, groups = programme(DNA=6)
    auditor = Auditor(truth)
    released(auditor, truth, groups["DNA"], "DNA")
    assert auditor.findings() == []


def test_an_equation_that_does_not_hold_is_refused():
    truth, groups = programme(DNA=6)
    auditor = Auditor(truth)
    with pytest.raises(Mismatch):
        auditor.equation(groups["DNA"], "head", 7, "wrong count")
    assert auditor.equation(groups["DNA"], "head", 7, "a guess", strict=False) is False
    assert auditor.rows == {}
