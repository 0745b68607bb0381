"""Many keep-alive clients straight to gunicorn (no proxy), as `make run` serves: no socket
errors, no non-2xx answers, worker memory stable.

    python bench/clients.py [--clients 64 256] [--duration 60]
    GUNICORN_CONNECTIONS=24 python bench/clients.py --clients 256 --duration 20   # compare a setting

Fresh database with content/, gunicorn with gunicorn.conf.py on a spare port; for each
client count, wrk holds that many keep-alive connections for ``--duration`` seconds on
the entry page, then the A–Z page.  Prints requests/s, p99, wrk's socket errors (connect,
read, write, timeout), non-2xx answers, and the workers' memory before, at peak and after.
Targets: 0 socket errors, 0 non-2xx, memory after within 10 MB of the first run's.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import re
import subprocess
import sys
import time

import harness

_spec = importlib.util.spec_from_file_location("bench_http", harness.BENCH / "http.py")
bench_http = importlib.util.module_from_spec(_spec)
sys.modules["bench_http"] = bench_http
_spec.loader.exec_module(bench_http)


def wrk(url: str, duration: int, clients: int) -> dict:
    done = subprocess.run(["wrk", "-t2", f"-c{clients}", f"-d{duration}s", "--latency", "--timeout", "10s", url],
                          capture_output=True, text=True, timeout=duration + 90)
    out = done.stdout
    figures = {"rps": 0.0, "p99": float("nan"), "connect": 0, "read": 0, "write": 0, "timeout": 0, "non2xx": 0}
    if match := re.search(r"Requests/sec:\s+([\d.]+)", out):
        figures["rps"] = float(match.group(1))
    if match := re.search(r"^\s+99%\s+(\S+)\s*$", out, re.MULTILINE):
        figures["p99"] = bench_http._ms(match.group(1))
    if match := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out):
        figures.update(zip(("connect", "read", "write", "timeout"), map(int, match.groups())))
    if match := re.search(r"Non-2xx or 3xx responses: (\d+)", out):
        figures["non2xx"] = int(match.group(1))
    if done.returncode != 0 or not figures["rps"]:
        figures["non2xx"] = max(1, figures["non2xx"])
        print(f"  wrk failed: {(done.stderr or out).strip()[:300]}")
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, nargs="+", default=[64, 256])
    parser.add_argument("--duration", type=int, default=60)
    parser.add_argument("--paths", nargs="+", default=["/entries/cytokine-release-syndrome/", "/entries/"])
    options = parser.parse_args()
    load = os.getloadavg()[0]
    print(f"== keep-alive clients straight to gunicorn ({harness.database_label()}) — {harness.environment()}; "
          f"load average {load:.1f} at start")
    print(f"  gunicorn.conf.py with WEB_CONCURRENCY={os.environ.get('WEB_CONCURRENCY', '2')} "
          f"GUNICORN_THREADS={os.environ.get('GUNICORN_THREADS', '(default)')} "
          f"GUNICORN_CONNECTIONS={os.environ.get('GUNICORN_CONNECTIONS', '(default)')}")
    database = harness.Database(f"immunoref_bench_clients_{os.getpid()}")
    server = None
    failed = False
    try:
        env = database.env(IMMUNOREF_CONTENT_DIR=str(harness.ROOT / "content"))
        for command in (("migrate", "--noinput", "-v", "0"), ("loadcontent", "-v", "0"),
                        ("collectstatic", "--noinput", "-v", "0")):
            harness.manage(env, *command)
        port = bench_http.free_port()
        server = bench_http.Server(env, port, [])
        server.wait_ready()
        for path in options.paths:
            server.get(path)
        first_after = None
        rows = []
        for clients in options.clients:
            for path in options.paths:
                before = server.rss()
                server.peak_rss.clear()
                figures = wrk(server.base + path, options.duration, clients)
                time.sleep(1)
                after = server.rss()
                peak = max(server.peak_rss.values(), default=0.0)
                first_after = first_after or max(after)
                errors = figures["connect"] + figures["read"] + figures["write"] + figures["timeout"]
                ok = errors == 0 and figures["non2xx"] == 0 and max(after) <= first_after + 10
                failed |= not ok
                rows.append([f"{clients} clients {path}", f"{figures['rps']:,.0f}", f"{figures['p99']:.0f} ms",
                             f"{figures['connect']}/{figures['read']}/{figures['write']}/{figures['timeout']}",
                             str(figures["non2xx"]), f"{max(before):.0f}", f"{peak:.0f}", f"{max(after):.0f}",
                             "ok" if ok else "MISSED"])
                print("  " + " | ".join(rows[-1]), flush=True)
        print(harness.table(rows, ["run", "req/s", "p99", "socket errors c/r/w/t", "non-2xx", "RSS before MB",
                                   "peak MB", "after MB", "target"]))
        print(f"load average at end {os.getloadavg()[0]:.1f}")
    finally:
        if server:
            server.stop()
        database.drop()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
