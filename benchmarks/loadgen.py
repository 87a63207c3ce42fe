"""A small load generator: keep-alive HTTP/1.1 requests on loopback, bounded in count and time.

Runs as its own process so it does not share the server's interpreter. Prints one JSON
line: requests, seconds, requests per second, p50 and p99 latency, errors.
``python benchmarks/loadgen.py --port 8000 --path /ping --requests 2000 --concurrency 8``
``--script FILE.json`` sends a list of ``[method, path, body]`` in turn instead (body JSON or null),
for a workload that writes as well as reads.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time


async def _one(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes) -> int:
    writer.write(request)
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = 0
    chunked = False
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            length = int(value.strip())
        elif name == b"transfer-encoding" and b"chunked" in value.lower():
            chunked = True
    if chunked:
        while True:
            size = int((await reader.readuntil(b"\r\n")).strip(), 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    elif length:
        await reader.readexactly(length)
    return status


def _request(host: str, port: int, extra: str, method: str, path: str, body: object = None) -> bytes:
    if body is None:
        return f"{method} {path} HTTP/1.1\r\nHost: {host}:{port}\r\n{extra}\r\n".encode()
    content = json.dumps(body).encode()
    return (
        f"{method} {path} HTTP/1.1\r\nHost: {host}:{port}\r\n{extra}"
        f"Content-Type: application/json\r\nContent-Length: {len(content)}\r\n\r\n"
    ).encode() + content


async def run(
    host: str,
    port: int,
    script: list[tuple[str, str, object]],
    headers: dict[str, str],
    total: int,
    concurrency: int,
    max_seconds: float,
) -> dict:
    extra = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    requests = [_request(host, port, extra, method, path, body) for method, path, body in script]
    writes = [method != "GET" for method, _, _ in script]
    latencies: list[float] = []
    read_latencies: list[float] = []
    write_latencies: list[float] = []
    errors = 0
    issued = 0
    deadline = time.perf_counter() + max_seconds

    async def worker() -> None:
        nonlocal issued, errors
        reader, writer = await asyncio.open_connection(host, port)
        try:
            while issued < total and time.perf_counter() < deadline:
                step = issued % len(requests)
                issued += 1
                started = time.perf_counter()
                status = await _one(reader, writer, requests[step])
                latencies.append(time.perf_counter() - started)
                (write_latencies if writes[step] else read_latencies).append(latencies[-1])
                if status != 200:
                    errors += 1
        finally:
            writer.close()

    started = time.perf_counter()
    await asyncio.gather(*[worker() for _ in range(concurrency)])
    seconds = time.perf_counter() - started

    def pct(values: list[float], q: float) -> float:
        values = sorted(values)
        return round(1000 * values[min(len(values) - 1, int(q * len(values)))], 2) if values else 0.0

    return {
        "requests": len(latencies),
        "seconds": round(seconds, 2),
        "rps": round(len(latencies) / seconds, 1),
        "p50_ms": pct(latencies, 0.5),
        "p99_ms": pct(latencies, 0.99),
        "errors": errors,
        # A mix of reads and writes: each kind's tail apart.
        **(
            {"p99_read_ms": pct(read_latencies, 0.99), "p99_write_ms": pct(write_latencies, 0.99)}
            if write_latencies
            else {}
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    what = parser.add_mutually_exclusive_group(required=True)
    what.add_argument("--path", action="append", help="GET this path (several: in turn)")
    what.add_argument("--script", help="a JSON file: a list of [method, path, body] sent in turn")
    parser.add_argument("--header", action="append", default=[], help="Name: value")
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--max-seconds", type=float, default=30.0)
    args = parser.parse_args()
    if args.host not in ("127.0.0.1", "::1", "localhost"):
        parser.error("the load generator only talks to loopback")
    headers = dict(h.split(": ", 1) for h in args.header)
    if args.script:
        with open(args.script) as f:
            script = [tuple(step) for step in json.load(f)]
    else:
        script = [("GET", path, None) for path in args.path]
    print(
        json.dumps(
            asyncio.run(run(args.host, args.port, script, headers, args.requests, args.concurrency, args.max_seconds))
        )
    )


if __name__ == "__main__":
    main()
