"""Time the funder's report against the outcome report on the national demo, each a fresh process.

Loads the national demo (about 300 locations, 1,500 courses) into a SQLite file once (reused
afterwards), then runs ``digiystava report outcomes --out programme.pdf`` and ``digiystava
report funder --out funder.pdf`` three times each, alternating, and reports the best and the
median of each: imports, queries, figures, charts or tables and layout, as a user would wait.

Target: the funder's report within the outcome report's time budget: its best run at most 1.2 x the
outcome report's, measured side by side on the same machine under the same load (the absolute times
depend on the load of the machine; the README's national figure is under 5 s on a quiet one).
Run from the repository root: ``.venv/bin/python benchmarks/bench_funder_report.py``.
Exits with status 1 if the target is missed.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORK = Path(os.environ.get("DIGIYSTAVA_BENCH_DIR", "/tmp/digiystava-bench-funder"))
WITHIN = 1.2  # x the outcome report's best run
RUNS = 3


def run(env: dict[str, str], *args: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "digiystava", *args], cwd=ROOT, env=env, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> int:
    WORK.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "DIGIYSTAVA_DATABASE_URL": os.environ.get("DIGIYSTAVA_DATABASE_URL", f"sqlite:///{WORK}/national.sqlite"),
        "DIGIYSTAVA_VAR_DIR": str(WORK),
        "DIGIYSTAVA_SECRET_KEY": os.environ.get("DIGIYSTAVA_SECRET_KEY", "benchmark-secret-key-" + "x" * 32),
    }
    run(env, "migrate")
    load = run(env, "demo", "--scale", "national", "--if-empty")
    print(f"national demo ready in {load:.1f} s")
    times: dict[str, list[float]] = {"outcomes": [], "funder": []}
    for _ in range(RUNS):
        for name in times:
            times[name].append(run(env, "report", name, "--out", str(WORK / f"{name}.pdf")))
    for name, values in times.items():
        print(f"{name:9s} best {min(values):.2f} s, median {statistics.median(values):.2f} s")
    ratio = min(times["funder"]) / min(times["outcomes"])
    print(f"funder / outcomes: {ratio:.2f}")
    return 0 if ratio <= WITHIN else 1


if __name__ == "__main__":
    sys.exit(main())
