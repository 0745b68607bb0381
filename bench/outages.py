"""Outages while serving: PostgreSQL, then Redis, then Memcached stopped for 30 s each.

    python bench/outages.py [--seconds 30]

Starts its own PostgreSQL, Redis and Memcached (tests/services.py), loads content/, and
runs gunicorn as `make run` does with the shared cache; four threads keep asking for
pages in the page cache and for pages that never are (a new address each time).  For each
outage it prints what readers got while it lasted and how long after the service came
back every page was a 200 again (the workers are never restarted).  Targets: PostgreSQL
down: cached pages 200, others 503, no traceback, recovery within seconds; a cache down:
every page 200.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

import harness

sys.path.insert(0, str(harness.ROOT))
from tests.outage_kit import fetch, read_through_outage  # noqa: E402
from tests.serving import Server, manage  # noqa: E402
from tests.services import Memcached, Postgres, Redis  # noqa: E402

CACHED = ["/entries/cytokine-release-syndrome/", "/entries/", "/"]
UNCACHED = "/entries/car-t-cells/?n={n}"


def outage(server: Server, service, seconds: float, label: str) -> list[str]:
    probe, down, up = read_through_outage(server.port, CACHED + [UNCACHED], service, seconds, 10, before=2)
    cached = probe.between(down + 1, up, CACHED[0]) + probe.between(down + 1, up, CACHED[1])
    uncached = probe.between(down + 1, up, UNCACHED)
    recovered = probe.recovered_after(up)
    return [label, f"{seconds:.0f} s", dict(sorted(cached.items())).__repr__(), dict(sorted(uncached.items())).__repr__(),
            str(probe.tracebacks()), "never" if recovered is None else f"{recovered:.1f} s"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=30)
    options = parser.parse_args()
    print(f"== outages — {harness.environment()}; load average {os.getloadavg()[0]:.1f} at start", flush=True)
    rows = []
    with Postgres() as postgres, Redis() as redis, Memcached() as memcached:
        database_url = postgres.create_database("immunoref")
        for cache, label in ((redis, "Redis"), (memcached, "Memcached")):
            env = dict(os.environ, DATABASE_URL=database_url, IMMUNOREF_CACHE_URL=cache.url, DJANGO_DEBUG="0",
                       PYTHONUNBUFFERED="1", IMMUNOREF_CONTENT_DIR=str(harness.ROOT / "content"))
            for command in (("migrate", "--noinput", "-v", "0"), ("loadcontent", "-v", "0"),
                            ("collectstatic", "--noinput", "-v", "0")):
                done = manage(env, *command)
                assert done.returncode == 0, done.stderr
            with Server(env) as server:
                for path in CACHED:
                    fetch(server.port, path)
                rows.append(outage(server, postgres, options.seconds, f"PostgreSQL (page cache {label})"))
                print("  " + " | ".join(rows[-1]), flush=True)
                rows.append(outage(server, cache, options.seconds, label))
                print("  " + " | ".join(rows[-1]), flush=True)
    print(harness.table(rows, ["stopped", "for", "cached pages: statuses", "uncached pages: statuses", "tracebacks",
                               "all 200 again after"]))
    print(f"load average at end {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
