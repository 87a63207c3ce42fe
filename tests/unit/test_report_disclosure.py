"""The release rule: which seniors of a unit a view may count, and the check of a ledger."""

import pytest

from digiystava.reports import disclosure
from digiystava.reports.disclosure import NOT_SPLIT, UNDER_MINIMUM, Ledger, blocks, release


def unit(**sizes):
    """A unit's seniors, each named by the part it belongs to: unit(DNA=8, none=3)."""
    return {(part, i) for part, size in sizes.items() for i in range(size)}


def cut(member):
    return member[0]


def dna(part):
    return part == "DNA"


@pytest.mark.parametrize(
    "sizes, wanted, count, reason",
    [
        ({"DNA": 19}, None, 19, None),  # a whole cohort of 19
        ({"DNA": 5}, None, 5, None),  # exactly the minimum
        ({"DNA": 4}, None, 0, UNDER_MINIMUM),  # a whole cohort under the minimum
        ({"DNA": 2, "none": 2}, dna, 0, UNDER_MINIMUM),  # too small to release in any view
        ({"DNA": 10, "VT": 9}, dna, 10, None),  # a slice and a rest that are both large enough
        ({"DNA": 16, "VT": 3}, dna, 0, NOT_SPLIT),  # the rest (3) could be worked out by subtraction
        ({"DNA": 3, "VT": 16}, dna, 0, NOT_SPLIT),  # the slice itself is small
        # The demo's cohort 10: 8 + 8 and 3 without a tablet. Each slice against the rest of the
        # cohort (8 v 11) looked safe; cohort - DNA - VT leaves the three.
        ({"DNA": 8, "VT": 8, "none": 3}, dna, 0, NOT_SPLIT),
        ({"DNA": 5, "VT": 5, "none": 2}, dna, 0, NOT_SPLIT),  # 5 + 5 + 2
        ({"DNA": 5, "VT": 5, "none": 5}, dna, 5, None),  # every part large enough
        ({"VT": 12}, dna, 0, None),  # nobody of DNA: nothing, and nothing hidden
    ],
)
def test_release(sizes, wanted, count, reason):
    released = release(unit(**sizes), cut, wanted)
    assert (len(released.seniors), released.reason) == (count, reason)
    assert all(part == "DNA" for part, _ in released.seniors)


def test_blocks_are_the_parts_when_the_unit_splits_else_the_unit():
    assert sorted(len(b) for b in blocks(unit(DNA=8, VT=8, none=5), cut)) == [5, 8, 8]
    assert [len(b) for b in blocks(unit(DNA=8, VT=8, none=3), cut)] == [19]
    assert blocks(unit(DNA=4), cut) == []


def test_a_view_of_parts_needs_the_cut():
    with pytest.raises(ValueError):
        release(unit(DNA=6), None, dna)


def test_check_refuses_a_group_that_is_not_a_union_of_blocks():
    ledger = Ledger()
    members = unit(DNA=8, VT=8, none=3)
    ledger.unit("course", members, cut)
    ledger.add("course", "course", members)
    disclosure.check(ledger)  # the whole cohort: one block
    ledger.add("donor", "course", {m for m in members if m[0] == "DNA"})
    with pytest.raises(disclosure.DisclosureError):
        disclosure.check(ledger)
