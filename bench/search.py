"""How fast search is: index build time and query latency p50/p95 at 1,000 and 10,000 entries.

    python bench/search.py [--entries 1000 10000] [--rounds 5]
    python bench/search.py --postgres        # the same on a throwaway PostgreSQL server
    DATABASE_URL=postgres://… python bench/search.py                # on that server

For each size: generates synthetic entries (bench/synthetic.py: real words, real
lengths), loads them into a fresh database through the real loader (``load_content``,
so the index is built inside its transaction), then times:

- the index build: ``rebuild_index()`` over every entry, on its own (then, on PostgreSQL,
  ``VACUUM ANALYZE``, as autovacuum would do after a load);
- ``search()`` over a fixed set of queries (abbreviations, misspellings, brands,
  questions, exact names, hostile input), after one warm-up pass: p50, p95, max;
- the search page (view and template, no page cache) and ``suggest()`` likewise.

Prints the figures and the environment; asserts nothing.  Target (issue 8): search
p95 <= 20 ms at 10,000 entries on SQLite.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
import harness  # noqa: E402  (it puts bench/ after the standard library, as bench/http.py bears its name)
import synthetic  # noqa: E402

QUERIES = [
    "CRS", "GvHD", "leukaferesis", "car-t", "car t cells", "kymriah", "chemo before the cells", "leukemia",
    "tumor", "Immunocell infusion", "Immune-cell infusion", "cytokine release syndrome grading",
    "what are the side effects of car t cell therapy", "fever after the infusion", "tocilizumab",
    "how long does it take to make the cells", "lymphodepletion", "neurotoxicty", "donor", "melanoma til",
    '"', "NEAR car", "-:'*", "x" * 200,
]
SUGGESTIONS = ["c", "cy", "cyto", "car t", "leuk", "gvh", "kym", "immune c", "entry 5", "tumour"]
TARGET_P95_MS = {10000: 20.0}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))]


def latencies(call, items, rounds: int) -> list[float]:
    for item in items:  # warm-up: connections, caches, the first use of each code path
        call(item)
    found = []
    for _ in range(rounds):
        for item in items:
            started = time.perf_counter()
            call(item)
            found.append((time.perf_counter() - started) * 1000)
    return found


def child(content_dir: str, rounds: int) -> None:
    """Load, rebuild the index, time queries; print one JSON line."""
    import django

    sys.path.insert(0, str(harness.ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "immunoref.settings")
    django.setup()
    from django.db import connection, transaction
    from django.test import RequestFactory

    from encyclopedia.models import Entry
    from encyclopedia.search import rebuild_index, search, suggest
    from encyclopedia.search.views import search as search_view
    from encyclopedia.pipeline import load_content

    started = time.perf_counter()
    report = load_content(content_dir)
    load_seconds = time.perf_counter() - started
    started = time.perf_counter()
    with transaction.atomic():
        indexed = rebuild_index()
    build_seconds = time.perf_counter() - started
    if connection.vendor == "postgresql":  # as autovacuum would soon: planner statistics for the new rows
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")

    titles = list(Entry.objects.order_by("pk").values_list("title", flat=True)[:3])
    queries = QUERIES + titles  # exact names of synthetic entries too
    factory = RequestFactory()
    figures = {
        "search": latencies(lambda q: search(q), queries, rounds),
        "search page": latencies(lambda q: search_view(factory.get("/search/", {"q": q})), queries, rounds),
        "suggest": latencies(lambda q: suggest(q), SUGGESTIONS, rounds),
    }
    slowest = sorted(((statistics.median(latencies(lambda q: search(q), [query], 3)), query) for query in queries),
                     reverse=True)[:3]
    print(json.dumps({
        "load": load_seconds, "build": build_seconds, "indexed": indexed, "report": report.summary(),
        "figures": {name: [percentile(values, 0.5), percentile(values, 0.95), max(values), len(values)]
                    for name, values in figures.items()},
        "slowest": slowest,
    }))


def measure(entries: int, folder: Path, rounds: int) -> list[list[str]]:
    content_dir = folder / f"content-{entries}"
    started = time.monotonic()
    generated = synthetic.generate(content_dir, entries)
    print(f"  generated {entries:,} entries ({generated.words:,} words) in {time.monotonic() - started:.1f} s",
          flush=True)
    database = harness.Database(f"immunoref_bench_search_{entries}")
    try:
        harness.manage(database.env(), "migrate", "--noinput", "-v", "0")
        done = subprocess.run([harness.PYTHON, __file__, "--child", str(content_dir), "--rounds", str(rounds)],
                              env=database.env(
                                  IMMUNOREF_TESTING="1",  # plain static file names: no collectstatic needed
                                  # render limits are bench/load.py's subject; a busy machine must not stop this load
                                  IMMUNOREF_RENDER_CPU_SECONDS=os.environ.get("IMMUNOREF_RENDER_CPU_SECONDS", "30")),
                              cwd=harness.ROOT, capture_output=True, text=True)
        if done.returncode != 0:
            sys.exit(f"the search benchmark failed:\n{done.stdout[-3000:]}{done.stderr[-3000:]}")
        result = json.loads(done.stdout.strip().splitlines()[-1])
        print(f"  {entries:,} entries: load {result['load']:.1f} s ({result['report']}); index build "
              f"{result['build']:.2f} s for {result['indexed']:,} entries; "
              f"database {database.size_bytes() / 1e6:.0f} MB", flush=True)
        print("  slowest queries (median ms): " + ", ".join(f"{query[:30]!r} {ms:.1f}"
                                                           for ms, query in result["slowest"]), flush=True)
        target = TARGET_P95_MS.get(entries) if not harness.server_url() else None
        rows = []
        for name, (p50, p95, worst, count) in result["figures"].items():
            verdict = ("ok" if p95 <= target else "MISSED") if target and name == "search" else ""
            rows.append([f"{entries:,} {name}", f"{p50:.1f}", f"{p95:.1f}", f"{worst:.1f}", str(count),
                         f"<= {target:g}" if target and name == "search" else "", verdict])
        return rows
    finally:
        database.drop()


def main() -> None:
    parser = argparse.ArgumentParser(description="Time search on synthetic content.")
    parser.add_argument("--entries", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--postgres", action="store_true", help="run on a throwaway PostgreSQL server")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        child(options.child, options.rounds)
        return
    if options.postgres and not harness.server_url():
        command = [harness.PYTHON, str(harness.ROOT / "tests" / "with_postgres.py"), "--", harness.PYTHON, __file__,
                   "--rounds", str(options.rounds), "--entries", *map(str, options.entries)]
        sys.exit(subprocess.run(command).returncode)
    print(f"== Search ({harness.database_label()}) — {harness.environment()}", flush=True)
    rows = []
    with tempfile.TemporaryDirectory(prefix="immunoref-search-") as folder:
        for entries in options.entries:
            rows += measure(entries, Path(folder), options.rounds)
    print(harness.table(rows, ["case", "p50 ms", "p95 ms", "max ms", "calls", "target", ""]))


if __name__ == "__main__":
    main()
