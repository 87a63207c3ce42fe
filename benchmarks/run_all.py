"""Every benchmark, one after another: ``make bench`` (or ``.venv/bin/python benchmarks/run_all.py``).

Each script prints its own table of figures and exits 1 when it misses a target; this
prints a summary line per script.
PostgreSQL figures need DIGIYSTAVA_BENCH_DATABASE_URL (a database the benchmarks may fill).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
# In order: API, memory and start-up; pairing; the outcome report; a cohort's guides; a delivery import.
SCRIPTS = [
    "bench_api.py",
    "bench_pairing.py",
    "bench_pairing_service.py",
    "bench_outcome_report.py",
    "bench_handouts.py",
    "bench_tablet_import.py",
]


def main() -> int:
    summary = []
    for name in SCRIPTS:
        path = HERE / name
        print(f"\n=== {name} ===", flush=True)
        started = time.perf_counter()
        result = subprocess.run([sys.executable, str(path)], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
        summary.append(
            (
                name,
                "ok" if result.returncode == 0 else f"missed a target or failed (exit {result.returncode})",
                time.perf_counter() - started,
            )
        )
    print("\n=== summary ===")
    for name, outcome, seconds in summary:
        print(f"{name:<28} {outcome:<44} {seconds:6.1f} s")
    return 1 if any(outcome.startswith("missed") for _n, outcome, _s in summary) else 0


if __name__ == "__main__":
    sys.exit(main())
