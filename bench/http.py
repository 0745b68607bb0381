"""Page throughput next to a static file's, served exactly as `make run` serves them.

    python bench/http.py [--duration 10] [--entries 1000] [--slow-clients 16]
    python tests/with_postgres.py -- python bench/http.py     # the same on PostgreSQL

Makes a fresh database, runs migrate, loadcontent (content/ or a synthetic folder of
``--entries`` entries) and collectstatic with DEBUG off, starts gunicorn with
gunicorn.conf.py on a spare loopback port (8050-8059), and measures with wrk at 32
connections, one page after the other for a fixed time each: the stylesheet (served by
WhiteNoise), the home page, an entry page, the A-Z index and a search results page.
Prints requests/s, p50/p99 latency, errors, each page's throughput as a ratio of the
stylesheet's, and the workers' memory.  Then the slow-client case: the entry page
again while ``--slow-clients`` connections each take seconds to send their request,
as phones on a poor network do.  Targets: entry page >= 0.8 x the stylesheet;
p99 <= 20 ms; 0 errors; worker RSS <= 100 MB.

``--beacons``: the entry page once more with a read beacon (``POST /signals/read/``, each from
another reader, as nginx would forward them) after every page view on the same connections,
in ``--beacon-rounds`` rounds interleaved with the entry page alone; target: the median
requests/s and p99 within 10 % of the entry page alone, 0 errors.  Also printed: page views
per second with the beacons, which shows what a beacon costs next to a page.  Every run
notes how gunicorn's workers shared wrk's connections (see gunicorn.conf.py, reuse_port).
"""

from __future__ import annotations

import sys
from pathlib import Path

# This file bears the standard library's name: put its folder after the standard library
# before anything imports `http` (bench/harness.py does the same for the other scripts).
_BENCH = Path(__file__).resolve().parent
sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != _BENCH] + [str(_BENCH)]

import argparse  # noqa: E402
import os  # noqa: E402
import re  # noqa: E402
import shutil  # noqa: E402
import socket  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
import urllib.request  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402

import harness  # noqa: E402
import synthetic  # noqa: E402

PORTS = range(8050, 8060)
ENTRY_TARGET, P99_TARGET_MS, RSS_TARGET_MB = 0.8, 20.0, 100.0
WRK_THREADS = int(os.environ.get("WRK_THREADS", "1"))  # wrk shares the 2 cores with the server; one thread drives 10,000+ req/s


@dataclass
class Result:
    name: str
    url: str
    requests_per_second: float = 0.0
    p50_ms: float = 0.0
    p99_ms: float = 0.0
    errors: int = 0
    notes: list[str] = field(default_factory=list)


def free_port() -> int:
    for port in PORTS:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    sys.exit("bench/http.py: ports 8050-8059 are all in use")


def _ms(text: str) -> float:
    """wrk's latency figure (``812.00us``, ``1.52ms``, ``2.01s``) in milliseconds; NaN if unreadable."""
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    if not match:
        return float("nan")
    value, unit = match.groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


BEACON_SCRIPT = """
local n = 0
request = function()
  n = n + 1
  if n %% 2 == 1 then return wrk.format("GET", "%(page)s") end
  local headers = {}
  headers["Content-Type"] = "application/x-www-form-urlencoded"
  headers["Sec-Fetch-Site"] = "same-origin"
  headers["User-Agent"] = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36"
  headers["X-Forwarded-For"] = "10." .. (n %% 200) .. "." .. math.random(0, 255) .. "." .. math.random(1, 254)
  return wrk.format("POST", "/signals/read/", headers, "slug=%(slug)s")
end
"""


def wrk(url: str, duration: int, connections: int, script: str = "", server: Server | None = None) -> Result:
    """One wrk run; wrk's own summary parsed into a Result.  Given the server, how its
    workers shared wrk's connections halfway through is noted."""
    extra = []
    if script:
        handle = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)
        handle.write(script)
        handle.close()
        extra = ["-s", handle.name]
    running = subprocess.Popen(["wrk", f"-t{WRK_THREADS}", f"-c{connections}", f"-d{duration}s", "--latency",
                                "--timeout", "5s", *extra, url], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    split = ""
    if server is not None:
        time.sleep(duration / 2)
        split = "connections per worker " + "/".join(str(count) for count in server.connections_per_worker())
    stdout, stderr = running.communicate(timeout=duration + 60)
    done = subprocess.CompletedProcess(running.args, running.returncode, stdout, stderr)
    if script:
        os.unlink(extra[1])
    out = done.stdout
    result = Result("", url)
    if match := re.search(r"Requests/sec:\s+([\d.]+)", out):
        result.requests_per_second = float(match.group(1))
    if match := re.search(r"^\s+50%\s+(\S+)\s*$", out, re.MULTILINE):
        result.p50_ms = _ms(match.group(1))
    if match := re.search(r"^\s+99%\s+(\S+)\s*$", out, re.MULTILINE):
        result.p99_ms = _ms(match.group(1))
    if match := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out):
        result.errors += sum(int(value) for value in match.groups())
    if match := re.search(r"Non-2xx or 3xx responses: (\d+)", out):
        result.errors += int(match.group(1))
    if done.returncode != 0 or not result.requests_per_second:
        result.errors = max(result.errors, 1)
        result.notes.append(f"wrk failed: {(done.stderr or out).strip()[:200]}")
    if split:
        result.notes.append(split)
    return result


class Server:
    """gunicorn as `make run` starts it, with the workers' memory sampled while it runs."""

    def __init__(self, env: dict[str, str], port: int, extra: list[str]):
        gunicorn = str(Path(sys.executable).parent / "gunicorn")
        workers = os.environ.get("WORKERS", "2")  # the Makefile's default
        command = [gunicorn, "immunoref.wsgi", "--config", "gunicorn.conf.py", "--bind", f"127.0.0.1:{port}",
                   "--workers", workers, *extra]
        self.base = f"http://127.0.0.1:{port}"
        self.log = tempfile.TemporaryFile()
        self.process = subprocess.Popen(command, env=env, cwd=harness.ROOT, stdout=self.log, stderr=self.log)
        self.peak_rss: dict[int, float] = {}
        self._stop = threading.Event()
        self._sampler = threading.Thread(target=self._sample, daemon=True)

    def wait_ready(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                with urllib.request.urlopen(self.base + "/about/", timeout=2) as response:
                    if response.status == 200:
                        self._sampler.start()
                        return
            except OSError:
                time.sleep(0.2)
        self.log.seek(0)
        sys.exit(f"gunicorn did not start:\n{self.log.read().decode(errors='replace')[-3000:]}")

    def workers(self) -> list[int]:
        return harness.child_pids(self.process.pid)

    def rss(self) -> list[float]:
        return [harness.rss_mb(pid) for pid in self.workers()]

    def connections_per_worker(self) -> list[int]:
        """Open client connections held by each worker (from /proc): a worker accepts what it
        can, so one may hold most of them, and throughput then depends on which one it is."""
        port = int(self.base.rsplit(":", 1)[1])
        sockets = set()
        for table in ("/proc/net/tcp", "/proc/net/tcp6"):
            try:
                with open(table, encoding="ascii") as rows:
                    for row in list(rows)[1:]:
                        fields = row.split()
                        if fields[3] == "01" and int(fields[1].rsplit(":", 1)[1], 16) == port:  # established
                            sockets.add(f"socket:[{fields[9]}]")
            except FileNotFoundError:
                continue
        counts = []
        for pid in self.workers():
            held = 0
            try:
                for fd in os.listdir(f"/proc/{pid}/fd"):
                    try:
                        held += os.readlink(f"/proc/{pid}/fd/{fd}") in sockets
                    except OSError:
                        continue
            except FileNotFoundError:
                pass
            counts.append(held)
        return sorted(counts, reverse=True)

    def _sample(self) -> None:
        while not self._stop.wait(0.25):
            for pid in self.workers():
                self.peak_rss[pid] = max(self.peak_rss.get(pid, 0.0), harness.rss_mb(pid))

    def get(self, path: str) -> str:
        with urllib.request.urlopen(self.base + path, timeout=10) as response:
            return response.read().decode("utf-8", errors="replace")

    def stop(self) -> None:
        self._stop.set()
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class SlowClients:
    """Connections that send each request one byte at a time, then read the whole answer."""

    def __init__(self, host: str, port: int, path: str, count: int, seconds_per_request: float = 2.0):
        self.request = f"GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode()
        self.delay = seconds_per_request / len(self.request)
        self.address = (host, port)
        self.stop = threading.Event()
        self.completed = 0
        self.failed = 0
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self._run, daemon=True) for _ in range(count)]

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        time.sleep(1.0)  # let them all get a connection before measuring
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=10)

    def _run(self) -> None:
        while not self.stop.is_set():
            try:
                with socket.create_connection(self.address, timeout=30) as sock:
                    for byte in self.request:
                        if self.stop.wait(self.delay):
                            return
                        sock.sendall(bytes([byte]))
                    answer = b""
                    while chunk := sock.recv(65536):
                        answer += chunk
                ok = answer.startswith(b"HTTP/1.1 200")
            except OSError:
                ok = False
            with self.lock:
                if ok:
                    self.completed += 1
                else:
                    self.failed += 1


ENTRY_LINK = re.compile(r'href="(/entries/[a-z0-9-]+/)"')


def pick_urls(server: Server, search_word: str) -> list[tuple[str, str]]:
    home = server.get("/")
    stylesheet = re.search(r'<link rel="stylesheet" href="([^"]+\.css)"', home)
    index = server.get("/entries/")
    slugs = ENTRY_LINK.findall(index)
    letters = re.findall(r'href="(/a-z/[^/"]+/)"', index)
    if not slugs and letters:  # a large site lists its entries one letter to a page
        slugs = ENTRY_LINK.findall(server.get(letters[0]))
    entry = "/entries/cytokine-release-syndrome/" if "/entries/cytokine-release-syndrome/" in slugs else slugs[0]
    return [("stylesheet (static)", stylesheet.group(1) if stylesheet else "/static/encyclopedia/site.css"),
            ("home", "/"), ("entry page", entry), ("A-Z index", "/entries/"),
            ("search results", f"/search/?q={search_word}")]


def measure(options) -> None:
    label = harness.database_label()
    print(f"== HTTP ({label}) — {harness.environment()}", flush=True)
    if not shutil.which("wrk"):
        sys.exit("bench/http.py needs wrk: `apt-get install wrk` (make bench installs it)")
    database = harness.Database("immunoref_bench_http")
    folder = tempfile.TemporaryDirectory(prefix="immunoref-http-")
    server = None
    try:
        content_dir = harness.ROOT / "content"
        search_word = "fever"
        if options.entries:
            content_dir = Path(folder.name) / "content"
            synthetic.generate(content_dir, options.entries)
            search_word = "cells"
        env = database.env(IMMUNOREF_CONTENT_DIR=str(content_dir), IMMUNOREF_TRUSTED_PROXIES="1")
        harness.manage(env, "migrate", "--noinput", "-v", "0")
        harness.manage(env, "loadcontent", "-v", "0")
        harness.manage(env, "collectstatic", "--noinput", "-v", "0")
        port = free_port()
        extra = []
        if options.worker_class:
            extra += ["--worker-class", options.worker_class]
        if options.threads:
            extra += ["--threads", str(options.threads)]
        server = Server(env, port, extra)
        server.wait_ready()
        config = f"{len(server.workers())} workers" + (f", {' '.join(extra)}" if extra else " (gunicorn.conf.py)")
        content_label = f"{options.entries:,} synthetic entries" if options.entries else "content/"
        print(f"  {content_label}; {config}; {options.connections} connections, {options.duration} s per page",
              flush=True)
        start_rss = server.rss()
        results = []
        for name, path in pick_urls(server, search_word):
            for _ in range(20):  # warm: page cache, template cache, connections
                server.get(path)
            result = wrk(server.base + path, options.duration, options.connections, server=server)
            result.name = name
            results.append(result)
        pairs = []
        if options.beacons:
            entry = results[2]
            path = entry.url.removeprefix(server.base)
            script = BEACON_SCRIPT % {"page": path, "slug": path.strip("/").split("/")[-1]}
            wrk(entry.url, 3, options.connections, script)  # warm: each worker's first beacon of the day makes its salt
            for _ in range(options.beacon_rounds):  # interleaved: the machine's drift falls on both
                alone = wrk(entry.url, options.duration, options.connections, server=server)
                mixed = wrk(entry.url, options.duration, options.connections, script, server=server)
                pairs.append((alone, mixed))
        slow = None
        if options.slow_clients:
            entry = results[2]
            with SlowClients("127.0.0.1", port, entry.url.removeprefix(server.base), options.slow_clients) as clients:
                slow = wrk(entry.url, options.duration, options.connections)
                slow.name = f"entry page + {options.slow_clients} slow clients"
            slow.notes.append(f"slow clients served {clients.completed}, failed {clients.failed}")
        report(results, slow, start_rss, server)
        if pairs:
            report_beacons(pairs)
    finally:
        if server:
            server.stop()
        database.drop()
        folder.cleanup()


def report(results: list[Result], slow: Result | None, start_rss: list[float], server: Server) -> None:
    static = results[0].requests_per_second or 1.0
    rows = []
    for result in results + ([slow] if slow else []):
        ratio = result.requests_per_second / static
        verdict = []
        if result.name == "entry page":
            verdict.append("ok" if ratio >= ENTRY_TARGET else f"MISSED (>= {ENTRY_TARGET})")
        if result.p99_ms > P99_TARGET_MS:
            verdict.append("p99 MISSED")
        if result.errors:
            verdict.append("ERRORS")
        rows.append([result.name, f"{result.requests_per_second:,.0f}", f"{result.p50_ms:.1f}", f"{result.p99_ms:.1f}",
                     str(result.errors), f"{ratio:.2f}x", " ".join(verdict + result.notes)])
    print(harness.table(rows, ["page", "req/s", "p50 ms", "p99 ms", "errors", "vs static", ""]))
    peak = max(server.peak_rss.values(), default=0.0)
    print(f"  worker RSS: {', '.join(f'{value:.0f}' for value in start_rss)} MB at start, "
          f"peak {peak:.0f} MB under load ({'ok' if peak <= RSS_TARGET_MB else 'MISSED'}, target <= {RSS_TARGET_MB:.0f})",
          flush=True)


def report_beacons(pairs: list[tuple[Result, Result]]) -> None:
    """The entry page alone and with a read beacon after every view, round by round; the
    verdict compares the medians (target: throughput and p99 within 10 %, 0 errors)."""
    rows = []
    for number, (alone, mixed) in enumerate(pairs, 1):
        for name, result in (("entry page alone", alone), ("entry page + a read beacon per view", mixed)):
            rows.append([f"{number}: {name}", f"{result.requests_per_second:,.0f}", f"{result.p50_ms:.1f}",
                         f"{result.p99_ms:.1f}", str(result.errors), " ".join(result.notes)])
    print(f"\n  Read beacons, {len(pairs)} interleaved rounds (beacon requests count in the mixed req/s):")
    print(harness.table(rows, ["round", "req/s", "p50 ms", "p99 ms", "errors", ""]))
    alone_rps = statistics.median(alone.requests_per_second for alone, _ in pairs)
    mixed_rps = statistics.median(mixed.requests_per_second for _, mixed in pairs)
    alone_p99 = statistics.median(alone.p99_ms for alone, _ in pairs)
    mixed_p99 = statistics.median(mixed.p99_ms for _, mixed in pairs)
    errors = sum(alone.errors + mixed.errors for alone, mixed in pairs)
    served = mixed_rps >= 0.9 * alone_rps and mixed_p99 <= 1.1 * alone_p99 and not errors
    print(f"  medians: {alone_rps:,.0f} requests/s alone, {mixed_rps:,.0f} with beacons "
          f"({mixed_rps / (alone_rps or 1):.2f}x); p99 {alone_p99:.1f} ms alone, {mixed_p99:.1f} ms with beacons "
          f"({mixed_p99 / (alone_p99 or 1):.2f}x); {errors} errors: {'ok' if served else 'MISSED (10 %)'}")
    # Stricter: page views alone.  The machine's cores are full in both runs, so every beacon
    # takes time a page view could have had; this shows what a beacon costs next to a page.
    print(f"  page views: {alone_rps:,.0f}/s alone, {mixed_rps / 2:,.0f}/s with a beacon after each "
          f"({mixed_rps / 2 / (alone_rps or 1):.2f}x): a beacon costs about "
          f"{max(0.0, 2 * alone_rps / (mixed_rps or 1) - 1):.2f} of a page view", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description="Page throughput against a static file, as `make run` serves them.")
    parser.add_argument("--duration", type=int, default=10, help="seconds per page (default 10)")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--entries", type=int, default=0, help="serve N synthetic entries instead of content/")
    parser.add_argument("--slow-clients", type=int, default=16, help="slow connections in the slow-client case")
    parser.add_argument("--beacons", action="store_true",
                        help="also measure the entry page with a read beacon after every view")
    parser.add_argument("--beacon-rounds", type=int, default=3, help="interleaved rounds of the beacon comparison")
    parser.add_argument("--worker-class", help="override gunicorn.conf.py (to compare choices)")
    parser.add_argument("--threads", type=int, help="override gunicorn.conf.py (to compare choices)")
    measure(parser.parse_args())


if __name__ == "__main__":
    main()
