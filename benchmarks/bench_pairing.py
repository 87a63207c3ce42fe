"""Time pairing suggestions for a large cohort against the bare assignment solver.

Generates 300 seniors and 200 volunteers from a fixed seed, times ``suggest_pairs``
over several runs, and as a baseline times ``scipy.optimize.linear_sum_assignment``
alone on a random cost matrix of the same seniors x seats shape. The target is well
under 0.5 s.

Run from the repository root: ``.venv/bin/python benchmarks/bench_pairing.py``.
Exits with status 1 if the median misses the target.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import time as clock
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cohorts.volunteers.districts import known_districts  # noqa: E402
from cohorts.volunteers.matching import (  # noqa: E402
    PracticeSlot,
    Senior,
    Volunteer,
    Window,
    suggest_pairs,
)

TARGET_SECONDS = 0.5
# An assumed mix: mostly Finnish, some Swedish, a few other languages.
SENIOR_LANGUAGES = ["fi"] * 80 + ["sv"] * 10 + ["ru"] * 4 + ["et"] * 2 + ["so", "ar", "en", "fa"]


def make_cohort(
    seed: int, n_seniors: int = 300, n_volunteers: int = 200
) -> tuple[list[Senior], list[Volunteer], tuple[PracticeSlot, ...]]:
    rng = random.Random(seed)
    places = list(known_districts())
    seniors = []
    for i in range(n_seniors):
        language = rng.choice(SENIOR_LANGUAGES)
        extra = ("fi",) if language != "fi" and rng.random() < 0.3 else ()
        district = rng.choice(places) if rng.random() < 0.95 else None
        seniors.append(Senior(f"s{i:04d}", language, district, extra))
    volunteers = []
    for j in range(n_volunteers):
        languages = ["fi"]
        if rng.random() < 0.2:
            languages.append("sv")
        if rng.random() < 0.5:
            languages.append("en")
        if rng.random() < 0.05:
            languages.append(rng.choice(["ru", "et", "so", "ar", "fa"]))
        windows = []
        for _ in range(rng.randint(1, 4)):
            start = rng.randint(8, 16)
            windows.append(Window(rng.randint(0, 4), clock(start), clock(start + rng.randint(1, 4))))
        capacity = rng.randint(1, 3)
        volunteers.append(
            Volunteer(
                id=f"v{j:04d}",
                languages=tuple(languages),
                districts=tuple(rng.sample(places, rng.randint(1, 3))),
                availability=tuple(windows),
                capacity=capacity,
                load=rng.randint(0, capacity - 1) if rng.random() < 0.3 else 0,
            )
        )
    slots = (
        PracticeSlot(1, clock(10), clock(11, 30)),
        PracticeSlot(3, clock(13), clock(14, 30)),
    )
    return seniors, volunteers, slots


def timed(fn: Callable[[], object], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()

    seniors, volunteers, slots = make_cohort(args.seed)
    n = len(seniors)
    seats = sum(min(max(0, v.capacity - v.load), n) for v in volunteers)

    start = time.perf_counter()
    result = suggest_pairs(seniors, volunteers, slots)  # includes importing scipy
    first = time.perf_counter() - start
    pairing = timed(lambda: suggest_pairs(seniors, volunteers, slots), args.runs)

    import numpy as np
    from scipy.optimize import linear_sum_assignment

    cost = np.random.default_rng(args.seed).random((n, seats))
    baseline = timed(lambda: linear_sum_assignment(cost), args.runs)

    base_median = statistics.median(baseline)
    rows = [
        ("linear_sum_assignment alone", baseline),
        ("suggest_pairs", pairing),
    ]
    print(
        f"{n} seniors, {len(volunteers)} volunteers, {seats} free places, {len(slots)} practice slots, {args.runs} runs"
    )
    print(f"{'figure':<30} {'min ms':>9} {'median ms':>10} {'x baseline':>11}")
    for label, times in rows:
        median = statistics.median(times)
        print(f"{label:<30} {min(times) * 1e3:>9.1f} {median * 1e3:>10.1f} {median / base_median:>11.1f}")
    print(f"{'first call (imports scipy)':<30} {first * 1e3:>9.1f}")
    print(
        f"suggested {len(result.suggestions)}, unmatched {len(result.unmatched)} "
        f"({', '.join(sorted({u.reason.code for u in result.unmatched})) or 'none'})"
    )
    median = statistics.median(pairing)
    met = median < TARGET_SECONDS
    print(f"target median < {TARGET_SECONDS * 1e3:.0f} ms: {'met' if met else 'MISSED'}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
