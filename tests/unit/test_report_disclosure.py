"""The unit rule: which slices of a cohort may count in a report."""

import pytest

from digiystava.reports.disclosure import unit_counts


@pytest.mark.parametrize("inside, whole, counts", [
    (19, 19, True),  # a whole cohort of 19
    (5, 5, True),  # exactly the minimum
    (4, 4, False),  # a whole cohort under the minimum
    (0, 12, False),  # nobody inside
    (10, 19, True),  # a slice and a rest that are both large enough
    (16, 19, False),  # the rest (3) could be worked out by subtraction
    (3, 19, False),  # the slice itself is small
])
def test_unit_counts(inside, whole, counts):
    assert unit_counts(inside, whole) is counts


def test_a_slice_larger_than_its_unit_is_a_mistake():
    with pytest.raises(ValueError):
        unit_counts(6, 5)
