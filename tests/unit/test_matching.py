"""Pairing engine: optimal against brute force, language rule, reasons, edge cases."""

from __future__ import annotations

import json
import random
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import time
from itertools import product

import pytest

from cohorts.volunteers import districts
from cohorts.volunteers import matching as m
from cohorts.volunteers.matching import (
    MatchResult,
    PracticeSlot,
    Reason,
    Senior,
    Volunteer,
    Window,
    suggest_pairs,
)


def score_pair(
    senior: Senior,
    volunteer: Volunteer,
    practice_slots: Sequence[PracticeSlot],
    seat: int = 0,
) -> tuple[float, tuple[Reason, ...]]:
    """Fit of one pair and its reasons, as ``suggest_pairs`` scores it (its parts, added up as the engine does).

    ``seat`` is how many seniors this volunteer takes before this one in the same round.
    The score is unrounded; the language rule, which depends on the other volunteers,
    is not applied here.
    """
    languages = m._senior_languages(senior)
    spoken = m._spoken(volunteer)
    lang_pts, lang_reason = m._language_part(languages, spoken)
    avail_pts, avail_reason = m._availability_part(volunteer.availability, practice_slots)
    dist_pts, dist_reason = m._district_part(m._Home.of(senior.district), m._Area.of(volunteer.districts))
    load_pts, load_reason = m._load_part(volunteer, seat)
    reasons = [lang_reason]
    if avail_reason is not None:
        reasons.append(avail_reason)
    reasons += [dist_reason, load_reason]
    return lang_pts + avail_pts + dist_pts + load_pts, tuple(reasons)


def same_district(a: str | None, b: str | None) -> bool:
    """Whether two names denote the same district; blank names never match."""
    ca, cb = districts.canonical_district(a), districts.canonical_district(b)
    return ca is not None and cb is not None and districts._fold(ca) == districts._fold(cb)


TUESDAY_10_12 = (PracticeSlot(1, time(10), time(12)),)
TUESDAY_9_13 = (Window(1, time(9), time(13)),)


def vol(
    vid: str,
    languages: str = "fi",
    district: str = "Kallio",
    capacity: int = 1,
    load: int = 0,
    available: bool = True,
) -> Volunteer:
    return Volunteer(
        id=vid,
        languages=tuple(languages.split(",")),
        districts=(district,) if district else (),
        availability=TUESDAY_9_13 if available else (),
        capacity=capacity,
        load=load,
    )


def pairs(result: MatchResult) -> dict[str, str]:
    return {s.senior_id: s.volunteer_id for s in result.suggestions}


def unmatched_codes(result: MatchResult) -> dict[str, str]:
    return {u.senior_id: u.reason.code for u in result.unmatched}


def codes(result: MatchResult, senior_id: str) -> list[str]:
    (suggestion,) = [s for s in result.suggestions if s.senior_id == senior_id]
    return [r.code for r in suggestion.reasons]


def _speaks(senior: Senior, volunteer: Volunteer) -> bool:
    return bool({senior.language, *senior.extra_languages} & set(volunteer.languages))


def brute_force(
    seniors: list[Senior], volunteers: list[Volunteer], slots: tuple[PracticeSlot, ...]
) -> tuple[int, float]:
    """Best (seniors seated, total score) over all assignments, rules checked here."""
    seniors = sorted(seniors, key=lambda s: s.id)
    free = [max(0, v.capacity - v.load) for v in volunteers]
    speaker_free = [any(_speaks(s, v) and f > 0 for v, f in zip(volunteers, free)) for s in seniors]
    seat_score = {
        (i, j, k): score_pair(s, v, slots, seat=k)[0]
        for i, s in enumerate(seniors)
        for j, v in enumerate(volunteers)
        for k in range(len(seniors))
    }
    best = (0, 0.0)
    for choice in product(range(-1, len(volunteers)), repeat=len(seniors)):
        counts = Counter(j for j in choice if j >= 0)
        if any(counts[j] > free[j] for j in counts):
            continue
        if any(j >= 0 and speaker_free[i] and not _speaks(seniors[i], volunteers[j]) for i, j in enumerate(choice)):
            continue
        total, seat = 0.0, Counter()
        for i, j in enumerate(choice):
            if j >= 0:
                total += seat_score[i, j, seat[j]]
                seat[j] += 1
        best = max(best, (sum(counts.values()), total))
    return best


def assert_optimal(seniors: list[Senior], volunteers: list[Volunteer], slots: tuple[PracticeSlot, ...]) -> MatchResult:
    result = suggest_pairs(seniors, volunteers, slots)
    seated, total = brute_force(seniors, volunteers, slots)
    assert len(result.suggestions) == seated
    # Suggestion scores are rounded to two decimals.
    assert result.total_score == pytest.approx(total, abs=0.005 * len(seniors) + 1e-9)
    assert sorted([*pairs(result), *unmatched_codes(result)]) == sorted(s.id for s in seniors)
    by_id = {v.id: v for v in volunteers}
    for vid, taken in Counter(pairs(result).values()).items():
        assert taken <= by_id[vid].capacity - by_id[vid].load
    return result


# Four seniors, three volunteers; optimum worked out by hand, checked by brute force.
HAND_CASES = [
    pytest.param(
        # Everyone in Kallio: two idle volunteers there take two each (100 + 97.5 points
        # per pair of seats) rather than sending anyone to the far volunteer (85).
        [Senior(f"s{i}", "fi", "Kallio") for i in range(4)],
        [vol("v1", capacity=2), vol("v2", capacity=2), vol("v3", district="Vuosaari")],
        {},
        395.0,
        id="load-spreads-over-near-volunteers",
    ),
    pytest.param(
        # Only v1 speaks Swedish and only v3 Russian, so a and d take them (v3 although
        # it is never free on Tuesdays); the Finnish speakers share v2.
        [
            Senior("a", "sv", "Kallio"),
            Senior("b", "fi", "Kallio"),
            Senior("c", "fi", "Vuosaari"),
            Senior("d", "ru", "Kallio"),
        ],
        [
            vol("v1", "fi,sv", "Vuosaari"),
            vol("v2", "fi", "Kallio", capacity=2),
            vol("v3", "fi,ru", "Alppiharju", available=False),
        ],
        {"a": "v1", "b": "v2", "c": "v2", "d": "v3"},
        85.0 + 100.0 + 82.5 + 63.0,
        id="only-speakers-of-sv-and-ru",
    ),
    pytest.param(
        # Two places for four seniors: the two best fits get them, b (next door) and d
        # (district unknown) are left over.
        [
            Senior("a", "fi", "Kallio"),
            Senior("b", "fi", "Sörnäinen"),
            Senior("c", "fi", "Vuosaari"),
            Senior("d", "fi", None),
        ],
        [vol("v1"), vol("v2", district="Vuosaari"), vol("v3", capacity=2, load=2)],
        {"a": "v1", "c": "v2"},
        200.0,
        id="more-seniors-than-places",
    ),
    pytest.param(
        # Nobody speaks Somali, so a may take any place; Swedish-only v3 suits only a.
        [
            Senior("a", "so", "Kallio"),
            Senior("b", "fi", "Kallio"),
            Senior("c", "fi", "Kallio"),
            Senior("d", "fi", "Vuosaari"),
        ],
        [
            vol("v1", capacity=2),
            vol("v2", "fi,en", "Vuosaari", capacity=2),
            vol("v3", "sv", "Kallio"),
        ],
        {"a": "v3", "b": "v1", "c": "v1", "d": "v2"},
        50.0 + 100.0 + 97.5 + 100.0,
        id="no-speaker-anywhere",
    ),
    pytest.param(
        # One Swedish place for two Swedish-only seniors: the nearer one gets it, the
        # other is not handed to the Finnish volunteer living in her own district.
        [
            Senior("a", "sv", "Kallio"),
            Senior("b", "sv", "Vuosaari"),
            Senior("c", "fi", "Kallio"),
            Senior("d", "fi", "Kallio"),
        ],
        [vol("v1", "fi,sv"), vol("v2", capacity=2), vol("v3", district="Vuosaari")],
        {"a": "v1", "c": "v2", "d": "v2"},
        100.0 + 100.0 + 97.5,
        id="swedish-place-contested",
    ),
]


@pytest.mark.parametrize("seniors, volunteers, expected_pairs, expected_total", HAND_CASES)
def test_hand_checked_cases_are_optimal(
    seniors: list[Senior],
    volunteers: list[Volunteer],
    expected_pairs: dict[str, str],
    expected_total: float,
) -> None:
    result = assert_optimal(seniors, volunteers, TUESDAY_10_12)
    assert result.total_score == pytest.approx(expected_total)
    if expected_pairs:
        assert pairs(result) == expected_pairs
    else:
        assert Counter(pairs(result).values()) == {"v1": 2, "v2": 2}


def _random_case(
    seed: int,
) -> tuple[list[Senior], list[Volunteer], tuple[PracticeSlot, ...]]:
    rng = random.Random(seed)
    places = ["Kallio", "Alppiharju", "Sörnäinen", "Vuosaari", "Berghäll", None]
    seniors = [
        Senior(
            f"s{i}",
            rng.choice(["fi", "fi", "fi", "sv", "ru"]),
            rng.choice(places),
            tuple(rng.sample(["fi", "sv", "en"], rng.randint(0, 1))),
        )
        for i in range(rng.randint(1, 5))
    ]
    volunteers = []
    for j in range(rng.randint(1, 3)):
        capacity = rng.randint(0, 3)
        windows = tuple(
            Window(rng.choice([1, 3]), time(h), time(h + rng.randint(1, 3)))
            for h in rng.sample(range(8, 14), rng.randint(0, 2))
        )
        volunteers.append(
            Volunteer(
                id=f"v{j}",
                languages=tuple(rng.sample(["fi", "sv", "ru", "en"], rng.randint(1, 2))),
                districts=tuple(rng.sample([p for p in places if p], rng.randint(0, 2))),
                availability=windows,
                capacity=capacity,
                load=rng.randint(0, capacity),
            )
        )
    slots = TUESDAY_10_12 + ((PracticeSlot(3, time(12), time(13)),) if seed % 2 else ())
    return seniors, volunteers, slots


@pytest.mark.parametrize("seed", range(40))
def test_random_small_cases_match_brute_force(seed: int) -> None:
    # Mixed languages, full volunteers, partial availability; two slots on odd seeds.
    assert_optimal(*_random_case(seed))


def test_swedish_only_senior_gets_the_swedish_speaker() -> None:
    seniors = [Senior("a", "sv", "Kallio"), Senior("b", "fi", "Vuosaari")]
    finn_next_door = vol("fin", "fi", "Kallio")
    swede_far_away = vol("swe", "fi,sv", "Vuosaari")
    result = suggest_pairs(seniors, [finn_next_door, swede_far_away], TUESDAY_10_12)
    assert pairs(result) == {"a": "swe", "b": "fin"}
    assert Reason("shared_language", {"language": "sv"}) in result.suggestions[0].reasons


def test_swedish_senior_left_unmatched_rather_than_paired_without_a_language() -> None:
    # The only Swedish place goes to "a"; "b" could have the free Finnish volunteer in
    # her own district but must not: the coordinator sees why instead.
    seniors = [Senior("a", "sv", "Kallio", ()), Senior("b", "sv", "Vuosaari")]
    result = suggest_pairs(
        seniors,
        [vol("swe", "sv,fi", "Kallio"), vol("fin", "fi", "Vuosaari")],
        TUESDAY_10_12,
    )
    assert pairs(result) == {"a": "swe"}
    assert result.unmatched[0].reason == Reason("no_shared_language", {"language": "sv"})


def test_senior_without_any_speaker_is_paired_and_flagged() -> None:
    result = suggest_pairs([Senior("a", "so", "Kallio")], [vol("v1")], TUESDAY_10_12)
    (suggestion,) = result.suggestions
    assert suggestion.volunteer_id == "v1"
    assert suggestion.reasons[0] == Reason("no_shared_language", {"language": "so"})
    assert suggestion.score == 50.0  # availability 30 + same district 15 + load 5
    assert result.unmatched == ()


def test_extra_language_counts_but_less_than_own_language() -> None:
    senior = Senior("a", "sv", "Kallio", extra_languages=("fi",))
    assert score_pair(senior, vol("fin", "fi"), TUESDAY_10_12)[0] == 90.0
    assert score_pair(senior, vol("swe", "sv"), TUESDAY_10_12)[0] == 100.0
    result = suggest_pairs([senior], [vol("fin", "fi"), vol("swe", "SV", "Alppiharju")], TUESDAY_10_12)
    assert pairs(result) == {"a": "swe"}  # 50 + 30 + 8 + 5 = 93 beats 40 + 30 + 15 + 5 = 90


@pytest.mark.parametrize(
    "volunteers",
    [
        # Two places in all, one of them behind an existing pairing.
        [vol("v1", capacity=2, load=1), vol("v2", capacity=1)],
        # A full volunteer offers no place at all.
        [vol("v1", capacity=1), vol("v2", capacity=1), vol("v3", capacity=2, load=2)],
    ],
)
def test_capacity_is_respected(volunteers: list[Volunteer]) -> None:
    seniors = [Senior(f"s{i}", "fi", "Kallio") for i in range(5)]
    result = suggest_pairs(seniors, volunteers, TUESDAY_10_12)
    assert len(result.suggestions) == 2
    assert all(c == 1 for c in Counter(pairs(result).values()).values())
    assert {u.reason for u in result.unmatched} == {Reason("no_capacity", {"free": 2})}


def test_reasons_explain_each_part_of_the_score() -> None:
    senior = Senior("a", "fi", "kallio")
    volunteer = Volunteer(
        "v1",
        languages=("fi", "en"),
        districts=("Berghäll",),  # Kallio in Swedish
        availability=(Window(1, time(11), time(14)),),
        capacity=3,
        load=1,
    )
    (suggestion,) = suggest_pairs([senior], [volunteer], TUESDAY_10_12).suggestions
    assert suggestion.reasons == (
        Reason("shared_language", {"language": "fi"}),
        Reason("partly_available", {"covered": 0, "slots": 1, "percent": 50}),
        Reason("same_district", {"district": "Kallio"}),
        Reason("load", {"seniors": 1, "capacity": 3, "free": 2}),
    )
    assert suggestion.score == pytest.approx(50 + 15 + 15 + 5 * 2 / 3, abs=0.005)


@pytest.mark.parametrize(
    "volunteer, district_reason, availability_code",
    [
        # Next district over, free the whole session.
        (
            vol("v", district="Alppiharju"),
            Reason(
                "neighbouring_district",
                {"district": "Kallio", "volunteer_district": "Alppiharju"},
            ),
            "available",
        ),
        # Across town and never free on Tuesdays: still suggested, with low points.
        (
            vol("v", district="Vuosaari", available=False),
            Reason("far_district", {"district": "Kallio"}),
            "not_available",
        ),
        # Volunteer who named no district at all.
        (
            vol("v", district=""),
            Reason("far_district", {"district": "Kallio"}),
            "available",
        ),
    ],
)
def test_district_and_availability_reasons(
    volunteer: Volunteer, district_reason: Reason, availability_code: str
) -> None:
    result = suggest_pairs([Senior("a", "fi", "Kallio")], [volunteer], TUESDAY_10_12)
    assert pairs(result) == {"a": "v"}
    reasons = result.suggestions[0].reasons
    assert district_reason in reasons
    assert reasons[1].code == availability_code


def test_availability_is_proportional_to_covered_sessions() -> None:
    slots = (PracticeSlot(0, time(10), time(11)), PracticeSlot(2, time(10), time(11)))
    volunteer = Volunteer("v", ("fi",), (), (Window(0, time(9), time(12)),), capacity=1)
    score, reasons = score_pair(Senior("a", "fi", None), volunteer, slots)
    assert score == 50 + 15 + 0 + 5
    assert Reason("partly_available", {"covered": 1, "slots": 2, "percent": 50}) in reasons
    assert Reason("unknown_district", {}) in reasons


def test_no_practice_slots_means_no_availability_reason() -> None:
    result = suggest_pairs([Senior("a", "fi", "Kallio")], [vol("v1")], ())
    assert codes(result, "a") == ["shared_language", "same_district", "load"]


def test_no_volunteers() -> None:
    result = suggest_pairs([Senior("a", "fi", "Kallio"), Senior("b", "sv", None)], [], TUESDAY_10_12)
    assert result.suggestions == ()
    assert unmatched_codes(result) == {"a": "no_volunteers", "b": "no_volunteers"}


def test_no_seniors() -> None:
    assert suggest_pairs([], [vol("v1")], TUESDAY_10_12) == MatchResult((), ())


def test_more_volunteers_than_seniors_picks_the_best_fits() -> None:
    volunteers = [
        vol("far", district="Vuosaari"),
        vol("busy", capacity=3, load=2),
        vol("near", district="Sörnäinen"),
        vol("best"),
        vol("swede", "sv"),
    ]
    seniors = [Senior("a", "fi", "Kallio"), Senior("b", "fi", "Hakaniemi")]
    result = assert_optimal(seniors, volunteers, TUESDAY_10_12)
    assert pairs(result) == {"a": "best", "b": "near"}
    assert result.unmatched == ()


def test_work_spreads_over_idle_volunteers() -> None:
    # Same fit otherwise: the second place of one volunteer is worth less than a first.
    seniors = [Senior(f"s{i}", "fi", "Kallio") for i in range(3)]
    volunteers = [vol("v1", capacity=3), vol("v2", capacity=3), vol("v3", capacity=3)]
    result = suggest_pairs(seniors, volunteers, TUESDAY_10_12)
    assert sorted(pairs(result).values()) == ["v1", "v2", "v3"]


def test_output_does_not_depend_on_input_order() -> None:
    seniors, volunteers, slots = _random_case(7)
    seniors = seniors + [Senior(f"x{i}", "fi", "Kallio") for i in range(12)]
    volunteers = volunteers + [vol(f"w{j}", capacity=2) for j in range(6)]
    expected = suggest_pairs(seniors, volunteers, slots)
    rng = random.Random(3)
    for _ in range(5):
        rng.shuffle(seniors)
        rng.shuffle(volunteers)
        assert suggest_pairs(seniors, volunteers, slots) == expected
    assert [s.senior_id for s in expected.suggestions] == sorted(s.senior_id for s in expected.suggestions)


@pytest.mark.parametrize(
    "make",
    [
        lambda: Window(7, time(10), time(11)),  # no such weekday
        lambda: PracticeSlot(1, time(12), time(10)),  # ends before it starts
        lambda: vol("v", capacity=-1),
        lambda: suggest_pairs([Senior("a", "fi"), Senior("a", "sv")], [], ()),  # same id twice
    ],
)
def test_invalid_input_is_rejected(make: Callable[[], object]) -> None:
    with pytest.raises(ValueError):
        make()


# --- district data ------------------------------------------------------------------


def test_district_data_is_symmetric_and_aliases_resolve() -> None:
    data = json.loads(districts.DATA_FILE.read_text(encoding="utf-8"))
    graph = data["neighbours"]
    for name, near in graph.items():
        assert name not in near
        for other in near:
            assert name in graph[other], f"{other} lists no {name}"
    assert set(data["aliases"].values()) <= set(graph)


@pytest.mark.parametrize(
    "name, expected",
    [
        ("Kallio", {"Alppiharju", "Hakaniemi", "Kruununhaka", "Sörnäinen"}),
        ("  kallio ", {"Alppiharju", "Hakaniemi", "Kruununhaka", "Sörnäinen"}),
        (
            "Berghäll",
            {"Alppiharju", "Hakaniemi", "Kruununhaka", "Sörnäinen"},
        ),  # Swedish name
        (
            "Kinapori",
            {"Alppiharju", "Hakaniemi", "Kruununhaka", "Sörnäinen"},
        ),  # senior centre in Kallio
        ("Atlantis", set()),
        (None, set()),
    ],
)
def test_neighbours_lookup(name: str | None, expected: set[str]) -> None:
    assert districts.neighbours(name) == expected


def test_unknown_district_still_matches_itself() -> None:
    assert same_district("Sipoo", "sipoo")
    assert not same_district(None, None)
