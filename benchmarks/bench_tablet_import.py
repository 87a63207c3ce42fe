"""Time a 10,000-row tablet delivery import against a bare insert of the same rows.

Builds a throw-away database (SQLite by default, or ``--database-url`` for PostgreSQL,
which must name an empty database), migrates it, and times, per run, on an emptied
tablet table:

- bare: read the CSV with the standard library and insert the rows with one Piccolo
  ``insert`` in one transaction (no checks, no asset tags, no history, no audit);
- import: ``cohorts.tablets.imports.import_tablets``, what ``POST /api/v1/tablets/import``
  runs: header and row checks, serial numbers against the inventory, asset tags, the
  tablets' history and the audit log, all or nothing.

The target is the import of 10,000 rows within 20 seconds on 2 cores, whatever the
ratio; the ratio says what the checks cost over writing the rows at all.
Run from the repository root: ``.venv/bin/python benchmarks/bench_tablet_import.py``.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

ROWS = 10_000
TARGET_SECONDS = 20.0
HEADER = "serial_number,model,os,donor,charger,cable,sim_number,data_plan\n"


def delivery(rows: int) -> bytes:
    lines = [
        f"SN{i:08d},Samsung Galaxy Tab A9+,android,{'DNA' if i % 2 else 'Vanhusten turva'},yes,yes,,"
        for i in range(rows)
    ]
    return (HEADER + "\n".join(lines) + "\n").encode("utf-8")


async def run(url: str, runs: int, rows: int) -> int:
    from cohorts.tables import Tablet, TabletEvent
    from cohorts.tablets.imports import import_tablets
    from digiystava import db
    from digiystava.access import Principal
    from digiystava.accounts.tables import AuditEntry

    db.bind(db.engine_from_url(url))
    principal = Principal(user_id=0, username="bench", role="coordinator")
    content = delivery(rows)

    async def empty() -> None:
        for table in (TabletEvent, Tablet, AuditEntry):
            await table.delete(force=True)

    async def bare() -> float:
        await empty()
        started = time.perf_counter()
        records = list(csv.DictReader(io.StringIO(content.decode("utf-8"))))
        async with db.write_transaction():
            await Tablet.insert(
                *[
                    Tablet(
                        serial_number=r["serial_number"],
                        model=r["model"],
                        os=r["os"],
                        donor=r["donor"],
                        asset_tag=f"B-{n:06d}",
                    )
                    for n, r in enumerate(records)
                ]
            )
        return time.perf_counter() - started

    async def full() -> float:
        await empty()
        started = time.perf_counter()
        result = await import_tablets(principal, content)
        elapsed = time.perf_counter() - started
        assert result.created == rows, result
        return elapsed

    pairs = [(await bare(), await full()) for _ in range(runs)]
    bare_m, full_m = (statistics.median(p[i] for p in pairs) for i in (0, 1))
    print(f"{rows} rows, {runs} runs, {db.current_engine().engine_type}, load {os.getloadavg()[0]:.1f}")
    print(f"{'':<10}{'min s':>9}{'median s':>10}{'max s':>9}")
    for label, i in (("bare", 0), ("import", 1)):
        times = [p[i] for p in pairs]
        print(f"{label:<10}{min(times):>9.2f}{statistics.median(times):>10.2f}{max(times):>9.2f}")
    verdict = "met" if full_m <= TARGET_SECONDS else "MISSED"
    print(
        f"import / bare: {full_m / bare_m:.1f} x; import median {full_m:.2f} s -> {verdict}"
        f" (within {TARGET_SECONDS:g} s)"
    )
    return 0 if full_m <= TARGET_SECONDS else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--rows", type=int, default=ROWS)
    parser.add_argument("--database-url", help="an empty PostgreSQL database; default: a temporary SQLite file")
    args = parser.parse_args()
    url = args.database_url or f"sqlite:///{tempfile.mkdtemp(prefix='bench-import-')}/bench.sqlite"
    env = {**os.environ, "DIGIYSTAVA_DATABASE_URL": url}
    subprocess.run([sys.executable, "-m", "digiystava", "migrate"], cwd=ROOT, env=env, check=True, capture_output=True)
    return asyncio.run(run(url, args.runs, args.rows))


if __name__ == "__main__":
    sys.exit(main())
