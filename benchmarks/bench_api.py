"""API speed, memory and start-up on the national demo, side by side with the bare libraries.

For each engine (SQLite always; PostgreSQL when --postgres-url or
DIGIYSTAVA_BENCH_DATABASE_URL names a server database to fill), in one run:
  * the app's 50-row pages of cohorts, tablets and loans (with their joins),
  * a bare Litestar + stock Piccolo endpoint returning 50 rows of one 10-column table,
  * a bare Litestar ping,
each served by one uvicorn process on a free loopback port and loaded by
loadgen.py in its own process (bounded in requests and seconds). All servers are up
at once and the rows are measured in turn, three rounds over (``--rounds``): each
figure is the median of its rounds, each ratio the median of its ratios to the bare
50 rows of the same round, so that a machine others share compares like moments. Then the app's
resident size across 10,000 API requests and across 1,000 outcome report PDFs
(100 completed cohorts in turn, after one render of each), and the time to its
first answer.

The load only reads, so after its first request each app row is answered from
the read cache (answers kept until the tables they read change). The same pages are
measured again with the cache off ("uncached"): every request then reads the
database. The "mixed" rows are a working day: 95 % reads of the three lists in turn
and 5 % writes (a tablet's notes, a session's attendance, an assessment's
correction, on varying rows), with the cache on and off.

Run from the repository root: ``.venv/bin/python benchmarks/bench_api.py``.
The national demo is loaded once per database and reused afterwards.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.request import Request, urlopen

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
BENCH_DIR = Path(os.environ.get("DIGIYSTAVA_BENCH_DIR", "/tmp/digiystava-bench"))
PAGES = {
    "cohorts": "/api/v1/cohorts?limit=50",
    "tablets": "/api/v1/tablets?limit=50",
    "loans": "/api/v1/loans?limit=50",
}
SECRET = "bench-secret-key-" + "x" * 32


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def env_for(url: str, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "DIGIYSTAVA_DATABASE_URL": url,
        "BENCH_DATABASE_URL": url,
        "DIGIYSTAVA_SECRET_KEY": SECRET,
        "DIGIYSTAVA_VAR_DIR": str(BENCH_DIR),
        "PICCOLO_CONF": "piccolo_conf",
        "PYTHONPATH": str(ROOT),
        **extra,
    }


def cli(url: str, *args: str) -> str:
    result = subprocess.run(
        [PYTHON, "-m", "digiystava", *args], cwd=ROOT, env=env_for(url), capture_output=True, text=True
    )
    if result.returncode != 0:
        raise SystemExit(f"digiystava {' '.join(args)} failed: {result.stderr.strip()[-500:]}")
    return result.stdout


def prepare(url: str) -> tuple[str, float | None]:
    """Migrate, load the national demo unless it is there; an API token for the coordinator."""
    cli(url, "migrate")
    started = time.perf_counter()
    out = cli(url, "demo", "--scale", "national", "--if-empty")
    load_seconds = None if "not loaded" in out else time.perf_counter() - started
    token = cli(url, "user", "token", "koordinaattori", "--name", "benchmark").strip().split()[-1]
    return token, load_seconds


class Server:
    """One uvicorn process on a free loopback port."""

    def __init__(self, url: str, target: list[str], **env: str) -> None:
        self.port = free_port()
        self.started = time.perf_counter()
        # NOTE: the server's log goes to a file, as it would to a journal: an unread pipe
        # fills, the log thread blocks and records pile up in memory.
        self.log = tempfile.TemporaryFile()
        self.process = subprocess.Popen(
            [
                PYTHON,
                "-m",
                "uvicorn",
                *target,
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--log-level",
                "warning",
                "--no-access-log",
            ],
            cwd=ROOT,
            env=env_for(url, **env),
            stdout=subprocess.DEVNULL,
            stderr=self.log,
        )

    def wait(self, path: str, timeout: float = 30) -> float:
        """Seconds from start to the first 200 on ``path``."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            if self.process.poll() is not None:
                self.log.seek(0)
                raise SystemExit(f"server exited: {self.log.read().decode()[-800:]}")
            try:
                with urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=2) as response:
                    if response.status == 200:
                        return time.perf_counter() - self.started
            except OSError:
                time.sleep(0.01)
        raise SystemExit(f"no answer on {path} within {timeout} s")

    def rss_mb(self) -> float:
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return 0.0

    def problems(self) -> list[str]:
        """The server's log lines about failed requests (any status but 200) and errors."""
        self.log.seek(0)
        return [
            line
            for line in self.log.read().decode(errors="replace").splitlines()
            if "ERROR" in line or ("digiystava.access" in line and " 200 " not in line)
        ]

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


def load(
    port: int, paths: list[str] | Path, token: str | None, requests: int, concurrency: int, seconds: float
) -> dict:
    """``paths``: GET these in turn, or a script file of [method, path, body] steps."""
    command = [
        PYTHON,
        str(ROOT / "benchmarks" / "loadgen.py"),
        "--port",
        str(port),
        "--requests",
        str(requests),
        "--concurrency",
        str(concurrency),
        "--max-seconds",
        str(seconds),
    ]
    if isinstance(paths, Path):
        command += ["--script", str(paths)]
    else:
        for path in paths:
            command += ["--path", path]
    if token:
        command += ["--header", f"Authorization: Bearer {token}"]
    return json.loads(subprocess.run(command, capture_output=True, text=True, check=True).stdout)


def api(port: int, token: str, path: str):
    request = Request(f"http://127.0.0.1:{port}{path}", headers={"Authorization": f"Bearer {token}"})
    with urlopen(request, timeout=30) as response:
        return json.load(response)


def completed_cohorts(port: int, token: str, count: int) -> list[int]:
    return [item["id"] for item in api(port, token, f"/api/v1/cohorts?status=completed&limit={count}")["items"]]


# One write in every WRITE_EVERY requests: 5 %.
WRITE_EVERY = 20


def mixed_script(port: int, token: str, steps: int = 6000) -> Path:
    """A working day's requests in turn: the three lists, and every 20th a write on a varying row.

    The writes keep the demo as it was, apart from notes: a tablet's notes, a senior's
    attendance mark of a running course (excused, then back to the mark it had) and an
    assessment's free-text wishes.
    """
    tablets = [t["id"] for t in api(port, token, "/api/v1/tablets?limit=200&offset=1000")["items"]]
    marks = []
    for cohort in api(port, token, "/api/v1/cohorts?status=running&limit=20")["items"]:
        for session in api(port, token, f"/api/v1/cohorts/{cohort['id']}/sessions")[:2]:
            for senior in api(port, token, f"/api/v1/sessions/{session['id']}/attendance")[:3]:
                marks.append((session["id"], senior["participant_id"], senior["status"] or "excused"))
    answers = [(a["id"], a["answers"]) for a in api(port, token, "/api/v1/assessments?limit=200")["items"]]
    if not (tablets and marks and answers):
        raise SystemExit("the demo has no tablets, running courses' seniors or assessments to write")
    script: list[tuple[str, str, object]] = []
    reads = list(PAGES.values())
    for step in range(steps):
        if step % WRITE_EVERY != WRITE_EVERY - 1:
            script.append(("GET", reads[step % len(reads)], None))
            continue
        n = step // WRITE_EVERY
        kind, k = n % 3, n // 3
        if kind == 0:
            script.append(("PATCH", f"/api/v1/tablets/{tablets[k % len(tablets)]}", {"notes": f"Checked, round {k}"}))
        elif kind == 1:
            session_id, participant_id, status = marks[(k // 2) % len(marks)]
            mark = "excused" if k % 2 == 0 else status
            script.append(
                (
                    "PUT",
                    f"/api/v1/sessions/{session_id}/attendance",
                    [{"participant_id": participant_id, "status": mark}],
                )
            )
        else:
            assessment_id, given = answers[k % len(answers)]
            body = {"answers": given, "wishes_text": f"Round {k}"}
            script.append(("PUT", f"/api/v1/assessments/{assessment_id}", body))
    path = BENCH_DIR / "mixed.json"
    path.write_text(json.dumps(script))
    return path


def report_memory(app: Server, token: str, renders: int) -> dict:
    """RSS across ``renders`` outcome PDFs of 100 cohorts in turn, after one render of each."""
    paths = [f"/api/v1/reports/outcomes?cohort_id={c}&format=pdf" for c in completed_cohorts(app.port, token, 100)]
    # Each report once, at the measured concurrency: its charts are drawn and kept, and the
    # render threads (each with its own malloc arena) exist before the first reading.
    load(app.port, paths, token, len(paths), 4, 900)
    before = app.rss_mb()
    result = load(app.port, paths, token, renders, 4, 1800)
    after = app.rss_mb()
    growth = (after - before) / before
    return {
        "what": f"RSS across {result['requests']} report PDFs",
        "value": f"{before:.0f} -> {after:.0f} MB ({100 * growth:+.1f} %)",
        "growth": growth,
        "errors": result["errors"],
    }


def measured(results: list[dict], bare: list[dict] | None) -> dict:
    """One row from its rounds: the median of each figure, and of its ratio to the bare row of the same round."""
    row = {
        "rps": round(statistics.median(r["rps"] for r in results), 1),
        "p50_ms": round(statistics.median(r["p50_ms"] for r in results), 2),
        "p99_ms": round(statistics.median(r["p99_ms"] for r in results), 2),
        "errors": sum(r["errors"] for r in results),
        "requests": sum(r["requests"] for r in results),
        "rounds": [r["rps"] for r in results],
    }
    for tail in ("p99_read_ms", "p99_write_ms"):
        if all(tail in r for r in results):
            row[tail] = round(statistics.median(r[tail] for r in results), 2)
    if bare is not None:
        row["ratio"] = round(statistics.median(r["rps"] / b["rps"] for r, b in zip(results, bare)), 2)
    return row


def bench_engine(name: str, url: str, args: argparse.Namespace) -> list[dict]:
    """Every server up at once, then each row in turn, ``args.rounds`` times over.

    NOTE: on a machine others share, the load drifts within minutes: measuring the rows
    in rounds, and each one's ratio against the bare row of its own round, keeps the
    ratios comparable where one pass over the rows would compare different moments.
    """
    token, load_seconds = prepare(url)
    rows = []
    if load_seconds is not None:
        rows.append({"engine": name, "what": "national demo load", "value": f"{load_seconds:.1f} s"})
    app = Server(url, ["digiystava.asgi:app"])
    servers = [app]
    try:
        first = app.wait("/health")
        rows.append({"engine": name, "what": "start-up: first answer", "value": f"{first:.2f} s"})
        bare = Server(url, ["--factory", "benchmarks.bare_app:create_app"])
        uncached = Server(url, ["digiystava.asgi:app"], DIGIYSTAVA_READ_CACHE_ENTRIES="0")
        servers += [bare, uncached]
        bare.wait("/ping")
        uncached.wait("/health")
        mixed = mixed_script(app.port, token)
        plan: list[tuple[str, Server, list[str] | Path, str | None]] = [
            ("bare ping", bare, ["/ping"], None),
            ("bare 50 rows", bare, ["/rows"], None),
            *[(f"app {label} 50", app, [path], token) for label, path in PAGES.items()],
            ("app mixed 95/5", app, mixed, token),
            *[(f"uncached {label} 50", uncached, [path], token) for label, path in PAGES.items()],
            ("uncached mixed 95/5", uncached, mixed, token),
        ]
        if args.rows:
            # The bare 50 rows stay: every ratio is taken against them in the same round.
            plan = [p for p in plan if p[0] == "bare 50 rows" or p[0].startswith(tuple(args.rows))]
        for _, server, paths, key in plan:  # warm-up
            load(server.port, paths, key, 200, 4, 10)
        results: dict[str, list[dict]] = {label: [] for label, *_ in plan}
        for _ in range(args.rounds):
            for label, server, paths, key in plan:
                results[label].append(load(server.port, paths, key, args.requests, args.concurrency, args.seconds))
        for label, *_ in plan:
            bare_rows = results["bare 50 rows"] if not label.startswith("bare") else None
            rows.append({"engine": name, "what": label, **measured(results[label], bare_rows)})
        if args.memory_requests:
            load(app.port, list(PAGES.values()), token, 1000, args.concurrency, 60)
            before = app.rss_mb()
            result = load(app.port, list(PAGES.values()), token, args.memory_requests, args.concurrency, 600)
            after = app.rss_mb()
            rows.append(
                {
                    "engine": name,
                    "what": f"RSS across {result['requests']} requests",
                    "value": f"{before:.0f} -> {after:.0f} MB ({100 * (after - before) / before:+.1f} %)",
                    "growth": (after - before) / before,
                }
            )
        if args.report_renders:
            rows.append(report_memory(app, token, args.report_renders) | {"engine": name})
        if any(r.get("errors") for r in rows):
            for server in (app, uncached):
                print(
                    f"{name}: failed requests in the server's log:",
                    *server.problems()[-20:],
                    sep="\n  ",
                    file=sys.stderr,
                )
    finally:
        for server in servers:
            server.stop()
    return rows


# Each row's target as a multiple of the bare 50 rows of the same run: (sqlite, postgres, p99 ms).
TARGETS = {
    "app ": (3.0, 1.0, None),
    "app mixed": (1.5, 1.0, 100.0),
    "uncached mixed": (None, None, None),
    "uncached ": (1.0, 0.5, None),
}


def target_for(what: str, engine: str) -> tuple[float | None, float | None]:
    prefix = max((p for p in TARGETS if what.startswith(p)), key=len, default=None)
    if prefix is None:
        return None, None
    sqlite, postgres, p99 = TARGETS[prefix]
    return (sqlite if engine == "sqlite" else postgres), p99


def verdicts(rows: list[dict]) -> list[str]:
    out = []
    for engine in ("sqlite", "postgres"):
        bare = next((r["rps"] for r in rows if r["engine"] == engine and r["what"] == "bare 50 rows"), None)
        if bare is None:
            continue
        for r in rows:
            if r["engine"] != engine or "rps" not in r or r["what"].startswith("bare"):
                continue
            factor, p99 = target_for(r["what"], engine)
            ratio = r.get("ratio", r["rps"] / bare)
            line = f"{engine} {r['what']}: {r['rps']} req/s = {ratio:.2f} x bare {bare}, p99 {r['p99_ms']} ms"
            if factor is not None:
                ok = ratio >= factor and (p99 is None or r["p99_ms"] < p99)
                wanted = f">= {factor:g} x" + (f", p99 < {p99:g} ms" if p99 else "")
                line += f" ({wanted}) -> {'met' if ok else 'MISSED'}"
            out.append(line)
    for r in rows:
        if "growth" in r:
            out.append(
                f"{r['engine']} memory: {r['value']} -> {'met' if abs(r['growth']) <= 0.10 else 'MISSED'} (within 10 %)"
            )
        if r["what"] == "start-up: first answer":
            met = float(r["value"].split()[0]) <= 2
            out.append(f"{r['engine']} start-up: {r['value']} -> {'met' if met else 'MISSED'} (within 2 s)")
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description="API speed against the bare libraries")
    parser.add_argument("--postgres-url", default=os.environ.get("DIGIYSTAVA_BENCH_DATABASE_URL", ""))
    parser.add_argument("--sqlite-path", default=str(BENCH_DIR / "national.sqlite"))
    parser.add_argument("--requests", type=int, default=20000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=5.0, help="per row and round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--memory-requests", type=int, default=10000)
    parser.add_argument("--report-renders", type=int, default=1000)
    parser.add_argument("--json", help="also write the rows here")
    parser.add_argument(
        "--rows", nargs="+", metavar="PREFIX", help="measure only the rows whose names start so (e.g. 'uncached')"
    )
    args = parser.parse_args()
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    engines = [("sqlite", f"sqlite:///{args.sqlite_path}")]
    if args.postgres_url:
        engines.append(("postgres", args.postgres_url))
    else:
        print(
            "PostgreSQL skipped: set DIGIYSTAVA_BENCH_DATABASE_URL (or --postgres-url) to a database this may fill",
            file=sys.stderr,
        )
    rows = []
    for name, url in engines:
        rows += bench_engine(name, url, args)
    print(f"{'engine':<9} {'what':<24} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'/ bare':>7} {'errors':>6}  other")
    for r in rows:
        if "rps" in r:
            ratio = f"{r['ratio']:.2f}" if "ratio" in r else ""
            rounds = "rounds " + ", ".join(f"{x:g}" for x in r["rounds"])
            if "p99_write_ms" in r:
                rounds += f"; p99 reads {r['p99_read_ms']} ms, writes {r['p99_write_ms']} ms"
            print(
                f"{r['engine']:<9} {r['what']:<24} {r['rps']:>8} {r['p50_ms']:>8} {r['p99_ms']:>8} {ratio:>7}"
                f" {r['errors']:>6}  {rounds}"
            )
        else:
            print(f"{r['engine']:<9} {r['what']:<24} {'':>8} {'':>8} {'':>8} {'':>7} {'':>6}  {r['value']}")
    print(
        f"cores: {os.cpu_count()}, load average {os.getloadavg()[0]:.2f} at the end, concurrency {args.concurrency},"
        f" {args.rounds} rounds of up to {args.requests} requests or {args.seconds:g} s per row (medians)"
    )
    results = verdicts(rows)
    print("\n".join(results))
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=1))
    return 1 if any("MISSED" in line for line in results) or any(r.get("errors") for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
