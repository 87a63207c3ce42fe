"""Which seniors a report may count: one rule over the groups that reports release.

A report is a set of figures, each computed from one *group* of seniors (course places):
counts, sums, means, medians, distributions, tests. A reader may ask for any number of
reports, in any scope, filter, comparison and format, and add or subtract them; so the
rule is a property of every group that could ever be released, not of one report:

    every released group is a union of *blocks*, and every block holds none or at
    least ``REPORTING_MINIMUM`` seniors.

Whatever anyone computes from any combination of reports is then a function of whole
blocks: every released sum lies in the span of the blocks' sums, a group under the
minimum is no union of blocks, and so no count, sum, mean or distribution of fewer than
the minimum, and no one senior's value, can be worked out. Medians and tests are
functions of the same groups, so they say nothing finer either.

The blocks never depend on the report asked. They are cut from *units* (a course's
seniors: enrolled, completed and dropped) by every way a reader could ask to see a unit
apart: the *cut* (for the outcome report, the set of donors whose tablets a senior
borrowed on that course, "no tablet" being a part of its own). ``release`` gives a view
a unit's seniors:

- a view that takes units whole (cohort, location, kind, district, period, the whole
  programme, and each side of a comparison) gets a unit of at least the minimum whole;
- a view that takes some parts (e.g. the seniors who borrowed DNA's tablets) gets them
  only when *every* part of the unit is empty or at least the minimum: otherwise the
  unit is left out of that view (``NOT_SPLIT``), since the unit minus the parts a
  reader can ask for would leave a small part (e.g. the one senior without a tablet);
- a unit under the minimum is left out of everything (``UNDER_MINIMUM``).

Figures that average answers apply the same rule to a unit's seniors who gave them: a
skill's before/after pairs, the wishes of the first questionnaire, attendance marks. A
count of seniors with some property *inside* a released group (completed, declined, at
level 3, wished for help with bills, answered both times) is that group's distribution
and is shown: it says how many of at least five, never who.

A new report (a funder's, a follow-up phase) reuses ``release`` for each of its groups
and ``Ledger`` to say what it released; ``check`` enforces the rule on a ledger, and the
test suite's auditor solves everything a reader can fetch as linear equations.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Hashable, Iterable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from digiystava.reports.statistics import REPORTING_MINIMUM

K = TypeVar("K", bound=Hashable)

# Why a unit (or its answers) is not released to a view.
UNDER_MINIMUM = "under_minimum"
NOT_SPLIT = "not_split"


class DisclosureError(AssertionError):
    """A report was about to release a group that is not a union of large enough blocks."""


@dataclass(frozen=True)
class Released(Generic[K]):
    """What one view may count of one unit: ``seniors``, or nothing and the ``reason``."""

    seniors: frozenset[K]
    reason: str | None = None


def parts(members: Iterable[K], cut: Callable[[K], Hashable]) -> dict[Hashable, set[K]]:
    """The unit's members by the part of the cut each belongs to (empty parts are absent)."""
    split: dict[Hashable, set[K]] = defaultdict(set)
    for member in members:
        split[cut(member)].add(member)
    return dict(split)


def splits(members: Collection[K], cut: Callable[[K], Hashable], minimum: int = REPORTING_MINIMUM) -> bool:
    """Whether a unit may be shown part by part: every part of the cut none or at least ``minimum``."""
    return all(len(part) >= minimum for part in parts(members, cut).values())


def release(
    members: Collection[K],
    cut: Callable[[K], Hashable] | None = None,
    wanted: Callable[[Hashable], bool] | None = None,
    minimum: int = REPORTING_MINIMUM,
) -> Released[K]:
    """The members of one unit that a view may count.

    ``wanted`` is ``None`` for a view that takes units whole; otherwise it picks the parts
    of ``cut`` the view is about (``lambda donors: "DNA" in donors``).
    """
    members = frozenset(members)
    if len(members) < minimum:
        return Released(frozenset(), UNDER_MINIMUM)
    if wanted is None:
        return Released(members)
    if cut is None:
        raise ValueError("a view that takes parts needs the cut")
    split = parts(members, cut)
    if any(len(part) < minimum for part in split.values()):
        return Released(frozenset(), NOT_SPLIT)
    return Released(frozenset(m for part, inside in split.items() if wanted(part) for m in inside))


def blocks(
    members: Collection[K], cut: Callable[[K], Hashable] | None, minimum: int = REPORTING_MINIMUM
) -> list[frozenset[K]]:
    """A unit's blocks: its parts when it splits, else the unit whole, else none (under the minimum)."""
    if len(members) < minimum:
        return []
    if cut is not None and splits(members, cut, minimum):
        return [frozenset(part) for part in parts(members, cut).values()]
    return [frozenset(members)]


@dataclass
class Ledger(Generic[K]):
    """The groups one report released, each under a name that says which figures it carries.

    ``released[name]`` holds the seniors a figure is computed from; ``base[name]`` the
    seniors of the same units a count of answers is taken over (the answerers themselves
    for a group of seniors). ``blocks[family]`` are the blocks the groups of that family
    must be unions of.
    """

    released: dict[str, frozenset[K]] = field(default_factory=dict)
    base: dict[str, frozenset[K]] = field(default_factory=dict)
    family: dict[str, str] = field(default_factory=dict)
    blocks: dict[str, set[frozenset[K]]] = field(default_factory=lambda: defaultdict(set))

    def add(self, name: str, family: str, seniors: Iterable[K], base: Iterable[K] | None = None) -> frozenset[K]:
        group = frozenset(seniors)
        self.released[name] = group
        self.base[name] = group if base is None else frozenset(base)
        self.family[name] = family
        return group

    def unit(
        self, family: str, members: Collection[K], cut: Callable[[K], Hashable] | None, minimum: int = REPORTING_MINIMUM
    ) -> None:
        """Record the blocks of one unit for ``family`` (what ``check`` holds the groups to)."""
        self.blocks[family].update(blocks(members, cut, minimum))


def check(ledger: Ledger, minimum: int = REPORTING_MINIMUM) -> None:
    """Raise ``DisclosureError`` unless every released group is a union of blocks of at least ``minimum``."""
    for name, group in ledger.released.items():
        if not group:
            continue
        owner: dict = {}
        for block in ledger.blocks.get(ledger.family[name], ()):
            if len(block) < minimum:
                raise DisclosureError(f"{ledger.family[name]} has a block of {len(block)}")
            for member in block:
                owner[member] = block
        covering = {owner.get(member) for member in group}
        if None in covering or sum(len(block) for block in covering if block is not None) != len(group):
            raise DisclosureError(f"{name}: {len(group)} seniors are not a union of whole blocks")
