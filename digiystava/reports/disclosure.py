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
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

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


# The answers that release nothing, made once: a programme's report asks of some 35,000 units.
NOT_RELEASED: dict[str, Released[Any]] = {
    reason: Released(frozenset(), reason) for reason in (UNDER_MINIMUM, NOT_SPLIT)
}


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
    if len(members) < minimum or wanted is None:
        return Split.whole(members, minimum).release()
    if cut is None:
        raise ValueError("a view that takes parts needs the cut")
    return Split.of(members, cut, minimum).release(wanted)


def blocks(
    members: Collection[K], cut: Callable[[K], Hashable] | None, minimum: int = REPORTING_MINIMUM
) -> list[frozenset[K]]:
    """A unit's blocks: its parts when it splits, else the unit whole, else none (under the minimum)."""
    split = Split.whole(frozenset(members), minimum) if cut is None else Split.of(members, cut, minimum)
    return list(split.blocks)


class Split(Generic[K]):
    """One unit cut into its parts once, for every view and ledger that asks about it.

    A report asks about many units of one course (each skill's answerers, the first
    questionnaire's, ...), mostly the same seniors again: ``among`` cuts a subset from the
    course's parts and ``crossed`` cuts a unit again, with set operations instead of asking
    the cut for every senior.
    """

    # NOTE: a plain class with slots: a programme's report makes some 70,000 of them.
    __slots__ = ("members", "parts", "minimum", "splits")

    def __init__(
        self, members: frozenset[K], parts: dict[Hashable, frozenset[K]], minimum: int = REPORTING_MINIMUM
    ) -> None:
        self.members = members
        self.parts = parts  # empty parts are absent
        self.minimum = minimum
        # Whether every part is none or at least the minimum (``splits``).
        self.splits = all(len(part) >= minimum for part in parts.values())

    @classmethod
    def of(cls, members: Collection[K], cut: Callable[[K], Hashable], minimum: int = REPORTING_MINIMUM) -> Split[K]:
        """``members`` by the part of ``cut`` each belongs to."""
        return cls(
            frozenset(members), {part: frozenset(inside) for part, inside in parts(members, cut).items()}, minimum
        )

    @classmethod
    def whole(cls, members: frozenset[K], minimum: int = REPORTING_MINIMUM) -> Split[K]:
        """A unit without a cut: one part of everyone."""
        return cls(members, {None: members} if members else {}, minimum)

    @property
    def blocks(self) -> tuple[frozenset[K], ...]:
        """The unit's blocks (``blocks``): what its released groups must be unions of."""
        if len(self.members) < self.minimum:
            return ()
        return tuple(self.parts.values()) if self.splits else (self.members,)

    def release(self, wanted: Callable[[Hashable], bool] | None = None) -> Released[K]:
        """What a view may count of the unit (``release``)."""
        if len(self.members) < self.minimum:
            return NOT_RELEASED[UNDER_MINIMUM]
        if wanted is None:
            return Released(self.members)
        if not self.splits:
            return NOT_RELEASED[NOT_SPLIT]
        return Released(frozenset().union(*(inside for part, inside in self.parts.items() if wanted(part))))

    def among(self, members: frozenset[K]) -> Split[K]:
        """Some of the unit's members (e.g. those who answered a question), cut by the same cut."""
        if len(members) == len(self.members):  # a subset as large as the unit is the unit
            return self
        found = ((part, inside & members) for part, inside in self.parts.items())
        return Split(members, {part: inside for part, inside in found if inside}, self.minimum)

    def crossed(self, chosen: AbstractSet[K], keep_parts: bool = True) -> Split[K]:
        """The unit cut again by whether each member is in ``chosen``: parts ``(part, True)`` and
        ``(part, False)``, or ``(None, True)`` and ``(None, False)`` without ``keep_parts``."""
        groups = self.parts.items() if keep_parts else [(None, self.members)]
        found = (((part, True), inside & chosen) for part, inside in groups)
        rest = (((part, False), inside - chosen) for part, inside in groups)
        return Split(self.members, {part: inside for part, inside in (*found, *rest) if inside}, self.minimum)


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

    def add_unit(self, family: str, split: Split[K]) -> None:
        """``unit`` for a unit already cut."""
        self.blocks[family].update(split.blocks)


def check(ledger: Ledger, minimum: int = REPORTING_MINIMUM) -> None:
    """Raise ``DisclosureError`` unless every released group is a union of blocks of at least ``minimum``."""
    owners: dict[str, dict] = {}  # family -> member -> its block: many groups share a family
    for name, group in ledger.released.items():
        if not group:
            continue
        family = ledger.family[name]
        if family not in owners:
            owner: dict = {}
            for block in ledger.blocks.get(family, ()):
                if len(block) < minimum:
                    raise DisclosureError(f"{family} has a block of {len(block)}")
                owner.update(dict.fromkeys(block, block))
            owners[family] = owner
        covering = set(map(owners[family].get, group))
        if None in covering or sum(len(block) for block in covering if block is not None) != len(group):
            raise DisclosureError(f"{name}: {len(group)} seniors are not a union of whole blocks")
