"""Reading a site through an outage: for tests/test_outages.py (short) and bench/outages.py (long).

``Probe`` asks for pages in a loop from a few threads and records, per second, what came
back: status codes, whether an answer looked like a traceback, and how long it took.
``recovered_after`` says how long after a moment every page was a 200 again."""

from __future__ import annotations

import http.client
import threading
import time
from collections import Counter


def fetch(port: int, path: str, timeout: float = 10) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"Host": "127.0.0.1"})
        answer = connection.getresponse()
        return answer.status, answer.read()
    except OSError:
        return 0, b""  # no answer at all
    finally:
        connection.close()


class Probe:
    def __init__(self, port: int, paths: list[str], threads: int = 4):
        self.port, self.paths, self.threads = port, paths, threads
        self.samples: list[tuple[float, str, int, bool]] = []  # (time, path, status, looked like a traceback)
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.workers = [threading.Thread(target=self._run, args=(index,), daemon=True) for index in range(threads)]

    def _run(self, index: int) -> None:
        count = index
        while not self.stop.is_set():
            path = self.paths[count % len(self.paths)]
            count += 1
            status, body = fetch(self.port, path.replace("{n}", str(count)))  # {n}: a new address each time
            traceback = b"Traceback" in body or b"OperationalError" in body
            with self.lock:
                self.samples.append((time.monotonic(), path, status, traceback))
            time.sleep(0.02)

    def __enter__(self) -> "Probe":
        for worker in self.workers:
            worker.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        for worker in self.workers:
            worker.join()

    def between(self, start: float, end: float, path: str | None = None) -> Counter:
        with self.lock:
            return Counter(status for moment, seen, status, _tb in self.samples
                           if start <= moment < end and (path is None or seen == path))

    def tracebacks(self) -> int:
        return sum(1 for *_rest, traceback in self.samples if traceback)

    def recovered_after(self, moment: float) -> float | None:
        """Seconds from ``moment`` to the first answer after which every answer was a 200."""
        with self.lock:
            after = [(t, status) for t, _p, status, _tb in self.samples if t >= moment]
        last_bad = max((t for t, status in after if status != 200), default=None)
        if last_bad is None:
            return 0.0
        good = [t for t, status in after if t > last_bad]
        return (good[0] - moment) if good else None


def read_through_outage(port: int, paths: list[str], service, seconds: float, settle: float,
                        before: float = 1.0) -> tuple[Probe, float, float]:
    """Read ``paths`` while ``service`` is stopped for ``seconds`` and for ``settle`` seconds after
    it is back; the probe, and the moments it went down and came back."""
    with Probe(port, paths) as probe:
        time.sleep(before)
        down = time.monotonic()
        service.pause()
        time.sleep(seconds)
        up = time.monotonic()
        service.start()
        time.sleep(settle)
    return probe, down, up
