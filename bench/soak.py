"""A bounded soak test: 60 s at 64 connections across every page type and search.

    python bench/soak.py [--seconds 60] [--connections 64] [--workers 2]
    python tests/with_postgres.py -- python bench/soak.py      # the same on PostgreSQL

Makes a fresh database (SQLite, or PostgreSQL when DATABASE_URL names a server), runs
migrate, loadcontent (the shipped content/) and collectstatic with DEBUG off, and starts
gunicorn exactly as ``make run`` does (gunicorn.conf.py) on a loopback port in
8060-8069.  Then ``--connections`` clients request, without pause, a mix of the home
page, the A-Z index, every entry, categories, glossary, sources, about, searches (with
misspellings and hostile queries), suggestions, the feed, the sitemap, a stylesheet,
old and unknown addresses, for ``--seconds`` seconds, and stop.  Traffic goes to
127.0.0.1 only, and the run is bounded in time.

Prints requests, requests/s, latency p50/p95/p99/max, every error (a status other than
the one expected for that address, a connection failure or a timeout), and each
worker's resident memory at start, after warm-up and at the end.  Exits 1 on any error.
Target (issue 9): 0 errors, worker memory steady.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness  # noqa: E402  (no stdlib `http` here: bench/http.py shadows it on this path)

PORTS = range(8060, 8070)
HOST = "127.0.0.1"
QUERIES = [
    "crs", "CRS", "cytokine release syndrome", "leukapheresis", "leukaferesis", "car t", "car-t cells",
    "side effects", "fever after the infusion", "how long does it take", "cost", "trial", "icans", "gvhd",
    "lymphodepletion", "tocilizumab", "kymriah", "tumour infiltrating lymphocytes", "tumor", "stem cell",
    "<script>alert(1)</script>", "' OR 1=1 --", "\" NEAR * ( )", "x" * 300, "🧬", "a", "the",
]


def free_port() -> int:
    for port in PORTS:
        with socket.socket() as sock:
            try:
                sock.bind((HOST, port))
            except OSError:
                continue
            return port
    sys.exit("bench/soak.py: ports 8060-8069 are all in use")


def quote(text: str) -> str:
    return "".join(char if char.isalnum() and char.isascii() else "".join(f"%{byte:02X}" for byte in
                                                                            char.encode()) for char in text)


def address_mix(content_dir: Path, static_path: str) -> list[tuple[str, set[int]]]:
    """(path, expected statuses), weighted by how often each kind of page is asked for."""
    slugs = sorted(path.stem for path in content_dir.rglob("*.md") if path.name.lower() != "readme.md")
    categories = re.findall(r"^([a-z0-9-]+):", (content_dir / "categories.yaml").read_text(), re.MULTILINE)
    ok = {200}
    mix: list[tuple[str, set[int]]] = []
    mix += [(f"/entries/{slug}/", ok) for slug in slugs] * 4
    mix += [(f"/search/?q={quote(query)}", ok) for query in QUERIES] * 3
    mix += [(f"/search/suggest/?q={quote(query[:6])}", ok) for query in QUERIES]
    mix += [("/", ok)] * 10 + [("/entries/", ok)] * 5 + [("/glossary/", ok)] * 4 + [("/references/", ok)] * 3
    mix += [(f"/categories/{key}/", ok) for key in categories] * 2
    mix += [("/about/", ok), ("/feed.atom", ok), ("/sitemap.xml", ok), ("/robots.txt", ok)] * 2
    mix += [(static_path, ok)] * 5
    mix += [("/entries/no-such-entry/", {404}), ("/no/such/page/", {404}), ("/entries/%3Cscript%3E/", {404})]
    return mix


class Tally:
    def __init__(self) -> None:
        self.latencies: list[float] = []
        self.statuses: Counter = Counter()
        self.errors: Counter = Counter()


async def fetch(path: str, timeout: float) -> int:
    """One request on its own connection (gunicorn's sync workers close after each); the status."""
    reader, writer = await asyncio.wait_for(asyncio.open_connection(HOST, PORT), timeout)
    try:
        writer.write(f"GET {path} HTTP/1.1\r\nHost: {HOST}\r\nConnection: close\r\n"
                     "Accept-Encoding: gzip, br\r\nUser-Agent: immunoref-soak\r\n\r\n".encode())
        await writer.drain()
        head = await asyncio.wait_for(reader.readline(), timeout)
        await asyncio.wait_for(reader.read(), timeout)  # the rest, to the close
        return int(head.split()[1])
    finally:
        writer.close()


async def client(mix, deadline: float, tally: Tally, timeout: float) -> None:
    while time.monotonic() < deadline:
        path, expected = random.choice(mix)
        started = time.monotonic()
        try:
            status = await fetch(path, timeout)
        except (OSError, asyncio.TimeoutError, ValueError, IndexError) as exc:
            tally.errors[f"{type(exc).__name__} on {path[:60]}"] += 1
            continue
        tally.latencies.append(time.monotonic() - started)
        tally.statuses[status] += 1
        if status not in expected:
            tally.errors[f"status {status} on {path[:60]}"] += 1


async def run_load(mix, seconds: float, connections: int, timeout: float) -> Tally:
    tally = Tally()
    deadline = time.monotonic() + seconds
    await asyncio.gather(*(client(mix, deadline, tally, timeout) for _ in range(connections)))
    return tally


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0.0


def worker_rss(master: int) -> dict[int, float]:
    return {pid: harness.rss_mb(pid) for pid in harness.child_pids(master)}


def show_rss(label: str, rss: dict[int, float]) -> str:
    return f"{label:<14}" + "  ".join(f"pid {pid}: {mb:6.1f} MB" for pid, mb in sorted(rss.items()))


def main() -> int:
    global PORT
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WORKERS", "2")))
    parser.add_argument("--warm-up", type=float, default=5.0, help="seconds of load before the start figures")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds before a request counts as failed")
    options = parser.parse_args()

    print(f"Soak: {options.seconds:g} s at {options.connections} connections, {options.workers} gunicorn workers, "
          f"{harness.database_label()}")
    print(f"Environment: {harness.environment()}")
    content_dir = harness.ROOT / "content"
    database = harness.Database(f"immunoref_soak_{os.getpid()}")
    server = None
    try:
        env = database.env()
        harness.manage(env, "migrate", "--noinput", "-v", "0")
        harness.manage(env, "loadcontent", "--content-dir", str(content_dir), "-v", "0")
        harness.manage(env, "collectstatic", "--noinput", "-v", "0")
        manifest = (harness.ROOT / "staticfiles" / "staticfiles.json").read_text()
        static_path = "/static/" + re.search(r'"encyclopedia/site\.css":\s*"([^"]+)"', manifest).group(1)
        PORT = free_port()
        log = tempfile.TemporaryFile()
        server = subprocess.Popen(
            [str(Path(sys.executable).parent / "gunicorn"), "immunoref.wsgi", "--config", "gunicorn.conf.py",
             "--bind", f"{HOST}:{PORT}", "--workers", str(options.workers)],
            cwd=harness.ROOT, env=env, stdout=log, stderr=log)
        mix = address_mix(content_dir, static_path)
        wait_until_up(server, log)
        at_start = worker_rss(server.pid)
        warm = asyncio.run(run_load(mix, options.warm_up, options.connections, options.timeout))
        after_warm_up = worker_rss(server.pid)
        started = time.monotonic()
        tally = asyncio.run(run_load(mix, options.seconds, options.connections, options.timeout))
        elapsed = time.monotonic() - started
        at_end = worker_rss(server.pid)
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        database.drop()

    requests = len(tally.latencies) + sum(tally.errors.values())
    milliseconds = [value * 1000 for value in tally.latencies]
    print(f"\nRequests: {requests:,} in {elapsed:.1f} s = {len(tally.latencies) / elapsed:,.0f}/s "
          f"(+{len(warm.latencies):,} in the warm-up)")
    print(f"Statuses: {dict(sorted(tally.statuses.items()))}")
    print(f"Latency: p50 {statistics.median(milliseconds):.1f} ms, p95 {percentile(milliseconds, 0.95):.1f} ms, "
          f"p99 {percentile(milliseconds, 0.99):.1f} ms, max {max(milliseconds):.1f} ms")
    errors = sum(tally.errors.values()) + sum(warm.errors.values())
    print(f"Errors: {errors}")
    for what, count in (tally.errors + warm.errors).most_common(10):
        print(f"  {count:6d}  {what}")
    print("Worker memory (RSS):")
    print(show_rss("  at start", at_start))
    print(show_rss("  warmed up", after_warm_up))
    print(show_rss("  at the end", at_end))
    growth = [at_end.get(pid, 0.0) - mb for pid, mb in after_warm_up.items()]
    if growth:
        print(f"  growth after warm-up: {max(growth):+.1f} MB at most")
    if set(at_end) != set(at_start):
        print("  note: a worker was replaced during the run (restarted or timed out)")
    return 1 if errors else 0


def wait_until_up(server: subprocess.Popen, log, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            break
        try:
            if asyncio.run(fetch("/about/", 5)) == 200:
                return
        except (OSError, asyncio.TimeoutError, ValueError, IndexError):
            time.sleep(0.2)
    log.seek(0)
    sys.exit(f"gunicorn did not start:\n{log.read().decode(errors='replace')[-3000:]}")


PORT = 0

if __name__ == "__main__":
    sys.exit(main())
