"""Pairing suggestions: which volunteer digital friend should guide which senior.

A cohort's enrolled seniors are assigned to the volunteers who still have room, as an
assignment problem solved exactly with ``scipy.optimize.linear_sum_assignment``: every
volunteer is repeated once per free place ("seat"), and the solver picks the seniors x
seats matching with the best total fit. The result is only a suggestion; the coordinator
confirms or changes each pair.

Fit of one pair, 0..100 points (weights below):

* language, 50: the senior's own language is spoken by the volunteer; 40 if they only
  share one of the senior's extra languages (a Swedish speaker who also gets by in
  Finnish is better served in Swedish);
* availability, up to 30: the share of the cohort's practice-session time that the
  volunteer's weekly availability covers (several sessions count equally);
* district, 15 if the volunteer is active in the senior's district, 8 in a
  neighbouring one (``helsinki_districts.json``), 0 otherwise or when the senior's
  district is unknown;
* load, up to 5: the share of the volunteer's capacity still free when this senior is
  added. A volunteer's k-th seat in this round therefore scores a little less than the
  one before, so the solver fills idle volunteers first and spreads the work; seats of
  one volunteer go to its seniors in senior-id order.

Language rule. A senior is never paired with a volunteer who shares no language
with them while any volunteer with a free place speaks one of their languages. If
those speakers' places are all taken by the optimum, the senior is listed as unmatched
with reason ``no_shared_language`` rather than handed to someone they cannot talk to.
When no volunteer with a free place speaks any of the senior's languages, the pair is
still suggested, with 0 language points and reason ``no_shared_language``: leaving the
senior out would drop them from the course without anyone deciding it, while the
coordinator can arrange an interpreter or a relative, or decline the pair.

Optimality. Forbidden pairs cost more than any total score can gain, so the solver
first seats as many seniors as the rules allow and, among those assignments, maximises
the total score. More seniors than free places leaves the lowest-fit ones unmatched
with ``no_capacity``. Inputs are sorted by id before solving, so the output does not
depend on their order. Scipy and numpy are imported only when pairs are computed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import time
from typing import Any

from .districts import canonical_district, neighbours

PRIMARY_LANGUAGE_POINTS = 50.0
EXTRA_LANGUAGE_POINTS = 40.0
AVAILABILITY_POINTS = 30.0
SAME_DISTRICT_POINTS = 15.0
NEIGHBOURING_DISTRICT_POINTS = 8.0
LOAD_POINTS = 5.0
MAX_SCORE = PRIMARY_LANGUAGE_POINTS + AVAILABILITY_POINTS + SAME_DISTRICT_POINTS + LOAD_POINTS

# Reason codes, for templates and translations.
SHARED_LANGUAGE = "shared_language"
NO_SHARED_LANGUAGE = "no_shared_language"
AVAILABLE = "available"
PARTLY_AVAILABLE = "partly_available"
NOT_AVAILABLE = "not_available"
SAME_DISTRICT = "same_district"
NEIGHBOURING_DISTRICT = "neighbouring_district"
FAR_DISTRICT = "far_district"
UNKNOWN_DISTRICT = "unknown_district"
LOAD = "load"
NO_VOLUNTEERS = "no_volunteers"
NO_CAPACITY = "no_capacity"


def _seconds(t: time) -> int:
    return t.hour * 3600 + t.minute * 60 + t.second


@dataclass(frozen=True)
class _WeeklySpan:
    weekday: int  # 0 = Monday
    start: time
    end: time

    def __post_init__(self) -> None:
        if not 0 <= self.weekday <= 6:
            raise ValueError(f"weekday must be 0..6 (Monday..Sunday), got {self.weekday}")
        if self.start >= self.end:
            raise ValueError(f"start {self.start} must be before end {self.end}")


@dataclass(frozen=True)
class Window(_WeeklySpan):
    """A weekly time span when a volunteer can meet, e.g. Tuesdays 10:00-14:00."""


@dataclass(frozen=True)
class PracticeSlot(_WeeklySpan):
    """A weekly practice session of the cohort, where seniors meet their volunteer."""


@dataclass(frozen=True)
class Senior:
    id: str
    language: str  # "fi", "sv" or another ISO 639-1 code
    district: str | None = None
    extra_languages: tuple[str, ...] = ()


@dataclass(frozen=True)
class Volunteer:
    id: str
    languages: tuple[str, ...]
    districts: tuple[str, ...]
    availability: tuple[Window, ...]
    capacity: int  # seniors this volunteer is willing to guide at once
    load: int = 0  # seniors already paired with them

    def __post_init__(self) -> None:
        if self.capacity < 0 or self.load < 0:
            raise ValueError("capacity and load must not be negative")

    @property
    def free(self) -> int:
        return max(0, self.capacity - self.load)


@dataclass(frozen=True)
class Reason:
    """Why a pair scores as it does, or why a senior got nobody: a code plus details."""

    code: str
    params: dict[str, Any] = field(default_factory=dict)

    def __hash__(self) -> int:
        # Params hold plain values; hashing them lets reasons be grouped and counted.
        return hash((self.code, tuple(sorted(self.params.items()))))


@dataclass(frozen=True)
class Suggestion:
    senior_id: str
    volunteer_id: str
    score: float  # 0..100, rounded to two decimals
    reasons: tuple[Reason, ...]


@dataclass(frozen=True)
class Unmatched:
    senior_id: str
    reason: Reason


@dataclass(frozen=True)
class MatchResult:
    suggestions: tuple[Suggestion, ...]  # ordered by senior id
    unmatched: tuple[Unmatched, ...]  # ordered by senior id

    @property
    def total_score(self) -> float:
        return sum(s.score for s in self.suggestions)


# --- parts of the score -----------------------------------------------------------


def _norm_language(code: str) -> str:
    return code.strip().casefold()


def _spoken(volunteer: Volunteer) -> frozenset[str]:
    return frozenset(c for c in map(_norm_language, volunteer.languages) if c)


def _senior_languages(senior: Senior) -> tuple[str, ...]:
    """The senior's languages, own language first, normalised and without repeats."""
    ordered = (senior.language, *senior.extra_languages)
    return tuple(dict.fromkeys(c for c in map(_norm_language, ordered) if c))


def _language_part(senior_languages: tuple[str, ...], spoken: frozenset[str]) -> tuple[float, Reason]:
    primary = senior_languages[0] if senior_languages else ""
    if primary in spoken:
        return PRIMARY_LANGUAGE_POINTS, Reason(SHARED_LANGUAGE, {"language": senior_languages[0]})
    for extra in senior_languages[1:]:
        if extra in spoken:
            return EXTRA_LANGUAGE_POINTS, Reason(SHARED_LANGUAGE, {"language": extra})
    return 0.0, Reason(NO_SHARED_LANGUAGE, {"language": primary})


def _covered_seconds(slot: PracticeSlot, windows: Sequence[Window]) -> int:
    """Seconds of ``slot`` inside the union of ``windows`` (they may overlap)."""
    lo, hi = _seconds(slot.start), _seconds(slot.end)
    pieces = sorted(
        (max(lo, _seconds(w.start)), min(hi, _seconds(w.end))) for w in windows if w.weekday == slot.weekday
    )
    covered, reached = 0, lo
    for start, end in pieces:
        start = max(start, reached)
        if end > start:
            covered += end - start
            reached = end
    return covered


def _availability_part(windows: Sequence[Window], slots: Sequence[PracticeSlot]) -> tuple[float, Reason | None]:
    if not slots:
        # Nothing scheduled yet: availability cannot tell volunteers apart.
        return 0.0, None
    shares = []
    for slot in slots:
        length = _seconds(slot.end) - _seconds(slot.start)
        shares.append(_covered_seconds(slot, windows) / length)
    share = sum(shares) / len(shares)
    full = sum(1 for s in shares if s >= 1.0)
    params = {"covered": full, "slots": len(slots)}
    if full == len(slots):
        return AVAILABILITY_POINTS, Reason(AVAILABLE, params)
    if share == 0.0:
        return 0.0, Reason(NOT_AVAILABLE, params)
    params["percent"] = round(share * 100)
    return AVAILABILITY_POINTS * share, Reason(PARTLY_AVAILABLE, params)


@dataclass(frozen=True)
class _Area:
    """A volunteer's districts resolved once: folded key -> display name."""

    names: dict[str, str]

    @classmethod
    def of(cls, districts: Iterable[str]) -> _Area:
        names: dict[str, str] = {}
        for d in districts:
            name = canonical_district(d)
            if name is not None:
                names.setdefault(name.casefold(), name)
        return cls(names)


@dataclass(frozen=True)
class _Home:
    """A senior's district resolved once: name, folded key, folded neighbours."""

    name: str | None
    key: str | None
    near: frozenset[str]

    @classmethod
    def of(cls, district: str | None) -> _Home:
        name = canonical_district(district)
        if name is None:
            return cls(None, None, frozenset())
        return cls(name, name.casefold(), frozenset(n.casefold() for n in neighbours(name)))


def _district_points(home: _Home, area: _Area) -> float:
    if home.key is None:
        return 0.0
    if home.key in area.names:
        return SAME_DISTRICT_POINTS
    if not home.near.isdisjoint(area.names):
        return NEIGHBOURING_DISTRICT_POINTS
    return 0.0


def _district_part(home: _Home, area: _Area) -> tuple[float, Reason]:
    points = _district_points(home, area)
    if home.name is None:
        return points, Reason(UNKNOWN_DISTRICT, {})
    if home.key in area.names:
        return points, Reason(SAME_DISTRICT, {"district": home.name})
    near = sorted(area.names[k] for k in home.near & area.names.keys())
    if near:
        return points, Reason(
            NEIGHBOURING_DISTRICT,
            {"district": home.name, "volunteer_district": near[0]},
        )
    return points, Reason(FAR_DISTRICT, {"district": home.name})


def _load_points(capacity: int, free_before: int) -> float:
    if capacity <= 0 or free_before <= 0:
        return 0.0
    return LOAD_POINTS * free_before / capacity


def _load_part(volunteer: Volunteer, seat: int) -> tuple[float, Reason]:
    seniors = volunteer.load + seat
    free_before = volunteer.capacity - seniors
    return _load_points(volunteer.capacity, free_before), Reason(
        LOAD,
        {
            "seniors": seniors,
            "capacity": volunteer.capacity,
            "free": max(0, free_before),
        },
    )


# --- the assignment ---------------------------------------------------------------


def _sorted_unique(items: Iterable[Any], kind: str) -> list[Any]:
    ordered = sorted(items, key=lambda item: item.id)
    for a, b in zip(ordered, ordered[1:]):
        if a.id == b.id:
            raise ValueError(f"duplicate {kind} id {a.id!r}")
    return ordered


def suggest_pairs(
    seniors: Iterable[Senior],
    volunteers: Iterable[Volunteer],
    practice_slots: Iterable[PracticeSlot],
) -> MatchResult:
    """Best-fit pairing of ``seniors`` to the free places of ``volunteers``.

    See the module docstring for the score, the language rule and what optimal means.
    Every senior appears exactly once, either in ``suggestions`` or in ``unmatched``.
    """
    senior_list: list[Senior] = _sorted_unique(seniors, "senior")
    volunteer_list: list[Volunteer] = _sorted_unique(volunteers, "volunteer")
    slots = tuple(practice_slots)
    if not senior_list:
        return MatchResult((), ())
    if not volunteer_list:
        return MatchResult((), tuple(Unmatched(s.id, Reason(NO_VOLUNTEERS, {})) for s in senior_list))
    free = [v.free for v in volunteer_list]
    total_free = sum(free)
    if total_free == 0:
        return MatchResult(
            (),
            tuple(Unmatched(s.id, Reason(NO_CAPACITY, {"free": 0})) for s in senior_list),
        )

    import numpy as np
    from scipy.optimize import linear_sum_assignment

    n, m = len(senior_list), len(volunteer_list)

    # Per-volunteer parts, computed once.
    spoken = [_spoken(v) for v in volunteer_list]
    areas = [_Area.of(v.districts) for v in volunteer_list]
    avail = [_availability_part(v.availability, slots) for v in volunteer_list]

    # Seniors share few distinct languages and districts: score each distinct value
    # against every volunteer once instead of every senior against every volunteer.
    lang_keys: dict[tuple[str, ...], int] = {}
    lang_rows: list[list[tuple[float, Reason]]] = []
    lang_of = np.empty(n, dtype=np.intp)
    dist_keys: dict[str | None, int] = {}
    homes: list[_Home] = []
    dist_rows: list[list[float]] = []
    dist_of = np.empty(n, dtype=np.intp)
    for i, senior in enumerate(senior_list):
        languages = _senior_languages(senior)
        if languages not in lang_keys:
            lang_keys[languages] = len(lang_rows)
            lang_rows.append([_language_part(languages, sp) for sp in spoken])
        lang_of[i] = lang_keys[languages]
        district = canonical_district(senior.district)
        if district not in dist_keys:
            dist_keys[district] = len(homes)
            home = _Home.of(district)
            homes.append(home)
            # Points only: reasons are worked out for the chosen pairs alone.
            dist_rows.append([_district_points(home, area) for area in areas])
        dist_of[i] = dist_keys[district]

    lang_pts = np.array([[p for p, _ in row] for row in lang_rows])
    shares_language = np.array([[r.code == SHARED_LANGUAGE for _, r in row] for row in lang_rows], dtype=bool)
    has_room = np.array(free) > 0
    speaker_free = np.asarray((shares_language & has_room).any(axis=1))
    forbidden_by_lang = speaker_free[:, None] & ~shares_language
    dist_pts = np.array(dist_rows)
    avail_pts = np.array([p for p, _ in avail])

    base = lang_pts[lang_of] + avail_pts[None, :] + dist_pts[dist_of]  # n x m
    forbidden = forbidden_by_lang[lang_of]  # n x m

    # A volunteer never needs more seats than there are seniors.
    seats = np.minimum(np.array(free), n)
    seat_vol = np.repeat(np.arange(m), seats)
    seat_k = np.arange(seat_vol.size) - np.repeat(np.cumsum(seats) - seats, seats)
    capacity = np.array([v.capacity for v in volunteer_list], dtype=float)
    free_arr = np.array(free, dtype=float)
    seat_load = LOAD_POINTS * (free_arr[seat_vol] - seat_k) / capacity[seat_vol]

    # Any forbidden pair costs more than the best possible total score gains.
    penalty = MAX_SCORE * (n + 1)
    cost = np.where(forbidden[:, seat_vol], penalty, -(base[:, seat_vol] + seat_load[None, :]))
    rows, cols = linear_sum_assignment(cost)

    taken: dict[int, list[int]] = {}
    unmatched: list[Unmatched] = []
    assigned = np.zeros(n, dtype=bool)
    for r, c in zip(rows.tolist(), cols.tolist()):
        assigned[r] = True
        j = int(seat_vol[c])
        if forbidden[r, j]:
            senior = senior_list[r]
            language = _senior_languages(senior)[:1] or ("",)
            unmatched.append(Unmatched(senior.id, Reason(NO_SHARED_LANGUAGE, {"language": language[0]})))
        else:
            taken.setdefault(j, []).append(r)
    for r in np.flatnonzero(~assigned).tolist():
        unmatched.append(Unmatched(senior_list[r].id, Reason(NO_CAPACITY, {"free": total_free})))

    suggestions: list[Suggestion] = []
    for j, taken_rows in taken.items():
        volunteer = volunteer_list[j]
        avail_score, avail_reason = avail[j]
        # Seats of one volunteer are interchangeable for the total; hand them out in
        # senior-id order so each pair's load points are reproducible.
        for seat, r in enumerate(sorted(taken_rows)):
            lang_score, lang_reason = lang_rows[lang_of[r]][j]
            dist_score, dist_reason = _district_part(homes[dist_of[r]], areas[j])
            load_score, load_reason = _load_part(volunteer, seat)
            reasons = [lang_reason]
            if avail_reason is not None:
                reasons.append(avail_reason)
            reasons += [dist_reason, load_reason]
            score = lang_score + avail_score + dist_score + load_score
            suggestions.append(Suggestion(senior_list[r].id, volunteer.id, round(score, 2), tuple(reasons)))

    suggestions.sort(key=lambda s: s.senior_id)
    unmatched.sort(key=lambda u: u.senior_id)
    return MatchResult(tuple(suggestions), tuple(unmatched))
