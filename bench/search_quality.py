"""How well search finds the right entry for the words readers type (issue 13 §5).

    python bench/search_quality.py [--queries bench/search_queries.yaml] [--rounds 3] [--json]
    python tests/with_postgres.py -- python bench/search_quality.py      # on PostgreSQL

Makes a fresh database (a temporary SQLite file, or a new database on the server named by
``DATABASE_URL``; see bench/harness.py), migrates it, loads ``content/`` with the real loader,
then asks the search page ``/search/?q=…`` (Django's test client: middleware, view and
template) for every query in ``bench/search_queries.yaml`` and reads the page the way an
outside checker does: the entry links of the "go to" box (``#search-go-to``) first, then
those of the result list (``#search-results``), de-duplicated, in that order.

Prints, and with ``--json`` writes as one JSON document on stdout instead:

- success in the top 3: the share of queries with one of their expected entries in the first
  three (target >= 95 %);
- mean reciprocal rank over the top 10 (target >= 0.80);
- p50/p95 latency of the search page, every query timed ``--rounds`` times after a warm-up
  pass, with the page cache off (target p95 <= 50 ms), so each request runs the search;
- the same success figures by kind of query;
- every failed query: where the expected entry ranked (``-`` when not on the first page),
  what ranked above it, and whether the page showed a "go to" box or a spelling correction.

Asserts nothing; the exit code is 0 whatever the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
import harness  # noqa: E402  (it puts bench/ after the standard library, as bench/http.py bears its name)

TARGET_TOP3 = 0.95
TARGET_MRR = 0.80
TARGET_P95_MS = 50.0
ENTRY_LINK = re.compile(r"^(?:https?://[^/]+)?/entries/([^/?#]+)/(?:[?#].*)?$")


class SearchPage(HTMLParser):
    """Entry slugs linked from #search-go-to and from #search-results, in page order."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.go_to: list[str] = []
        self.results: list[str] = []
        self.correction = ""
        self._stack: list[str | None] = []  # the region each open element belongs to
        self._in_correction = 0

    def _region(self) -> str | None:
        return next((region for region in reversed(self._stack) if region), None)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        region = {"search-go-to": "go_to", "search-results": "results",
                  "search-correction": "correction"}.get(attrs.get("id") or "")
        if tag not in {"br", "img", "input", "meta", "link", "hr", "source", "wbr"}:
            self._stack.append(region)
        current = region or self._region()
        if tag == "a" and current in {"go_to", "results"}:
            match = ENTRY_LINK.match(attrs.get("href") or "")
            if match:
                getattr(self, current).append(match.group(1))

    def handle_endtag(self, tag):
        if self._stack:
            self._stack.pop()

    def handle_data(self, data):
        if self._region() == "correction":
            self.correction += data

    def ranked(self) -> list[str]:
        seen: list[str] = []
        for slug in self.go_to + self.results:
            if slug not in seen:
                seen.append(slug)
        return seen


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))]


def child(queries_path: str, rounds: int) -> None:
    """In the benchmark's database: load content/, ask every query; print one JSON line."""
    import django
    import yaml

    sys.path.insert(0, str(harness.ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "immunoref.settings")
    django.setup()
    from django.db import connection
    from django.test import Client

    from encyclopedia.pipeline import load_content

    started = time.perf_counter()
    report = load_content(str(harness.ROOT / "content"))
    load_seconds = time.perf_counter() - started
    if connection.vendor == "postgresql":  # as autovacuum would soon: planner statistics for the new rows
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")

    queries = yaml.safe_load(Path(queries_path).read_text(encoding="utf-8"))
    client = Client()

    def ask(text: str) -> tuple[float, float, bytes]:
        # IMMUNOREF_PAGE_CACHE_SECONDS=0: no page is stored, so every request runs the search,
        # as a query nobody asked before does.  Wall time, and this thread's CPU time (which a
        # busy machine does not inflate; on PostgreSQL it leaves out the server's share).
        started, cpu = time.perf_counter(), time.thread_time()
        response = client.get("/search/", {"q": text})
        elapsed, cpu = (time.perf_counter() - started) * 1000, (time.thread_time() - cpu) * 1000
        if response.status_code != 200:
            raise SystemExit(f"/search/?q={text!r} answered {response.status_code}")
        return elapsed, cpu, response.content

    for item in queries[:20]:  # warm-up: connections, vocabularies, templates
        ask(item["q"])
    rows = []
    times: list[float] = []
    cpu_times: list[float] = []
    for item in queries:
        elapsed, cpu, body = ask(item["q"])
        page = SearchPage()
        page.feed(body.decode("utf-8"))
        samples, cpu_samples = [elapsed], [cpu]
        for _ in range(rounds - 1):
            elapsed, cpu, _body = ask(item["q"])
            samples.append(elapsed)
            cpu_samples.append(cpu)
        times += samples
        cpu_times += cpu_samples
        rows.append({"q": item["q"], "expect": item["expect"], "kind": item.get("kind", ""),
                     "ranked": page.ranked(), "go_to": page.go_to,
                     "correction": " ".join(page.correction.split()), "ms": statistics.median(samples)})
    print(json.dumps({"load_seconds": load_seconds, "report": report.summary(), "rows": rows, "times": times,
                      "cpu_times": cpu_times}))


def score(rows: list[dict]) -> dict:
    for row in rows:
        ranks = [row["ranked"].index(slug) + 1 for slug in row["expect"] if slug in row["ranked"]]
        row["rank"] = min(ranks) if ranks else None
        row["ok"] = row["rank"] is not None and row["rank"] <= 3
        row["rr"] = 1 / row["rank"] if row["rank"] and row["rank"] <= 10 else 0.0
    count = len(rows)
    return {"queries": count, "top3": sum(row["ok"] for row in rows) / count,
            "mrr10": sum(row["rr"] for row in rows) / count,
            "top1": sum(row["rank"] == 1 for row in rows) / count}


def main() -> None:
    parser = argparse.ArgumentParser(description="Search quality on content/: top-3 success, MRR@10, latency.")
    parser.add_argument("--queries", default=str(BENCH / "search_queries.yaml"))
    parser.add_argument("--rounds", type=int, default=3, help="timed requests per query")
    parser.add_argument("--json", action="store_true", help="print one JSON document instead of the text report")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        child(options.queries, max(1, options.rounds))
        return

    label = harness.database_label()
    database = harness.Database("immunoref_bench_search_quality")
    try:
        harness.manage(database.env(), "migrate", "--noinput", "-v", "0")
        done = subprocess.run(
            [harness.PYTHON, __file__, "--child", "--queries", options.queries, "--rounds", str(options.rounds)],
            env=database.env(IMMUNOREF_TESTING="1",  # plain static file names: no collectstatic needed
                             IMMUNOREF_PAGE_CACHE_SECONDS="0",
                             DJANGO_ALLOWED_HOSTS="testserver,localhost",
                             IMMUNOREF_RENDER_CPU_SECONDS=os.environ.get("IMMUNOREF_RENDER_CPU_SECONDS", "30")),
            cwd=harness.ROOT, capture_output=True, text=True)
        if done.returncode != 0:
            sys.exit(f"the search-quality benchmark failed:\n{done.stdout[-3000:]}{done.stderr[-3000:]}")
        result = json.loads(done.stdout.strip().splitlines()[-1])
    finally:
        database.drop()

    rows, times, cpu_times = result["rows"], result["times"], result["cpu_times"]
    figures = score(rows)
    figures.update({"p50_ms": percentile(times, 0.5), "p95_ms": percentile(times, 0.95), "max_ms": max(times),
                    "cpu_p50_ms": percentile(cpu_times, 0.5), "cpu_p95_ms": percentile(cpu_times, 0.95),
                    "timed_requests": len(times), "load_average": os.getloadavg()})
    kinds = defaultdict(list)
    for row in rows:
        kinds[row["kind"]].append(row)
    by_kind = {kind: score(group) for kind, group in sorted(kinds.items())}
    failures = [row for row in rows if not row["ok"]]
    for row in failures:
        row["above"] = row["ranked"][:(row["rank"] or 4) - 1][:5]
    verdicts = {"top3": figures["top3"] >= TARGET_TOP3, "mrr10": figures["mrr10"] >= TARGET_MRR,
                "p95_ms": figures["p95_ms"] <= TARGET_P95_MS}

    if options.json:
        print(json.dumps({"database": label, "environment": harness.environment(), "load": result["report"],
                          "figures": figures, "targets": {"top3": TARGET_TOP3, "mrr10": TARGET_MRR,
                                                          "p95_ms": TARGET_P95_MS},
                          "met": verdicts, "by_kind": by_kind, "failures": failures, "queries": rows}, indent=2))
        return

    print(f"== Search quality ({label}) — {harness.environment()}")
    print(f"  content loaded in {result['load_seconds']:.1f} s ({result['report']}); {figures['queries']} queries, "
          f"{figures['timed_requests']} timed requests; load average {figures['load_average'][0]:.1f}")
    print(harness.table([
        ["success in top 3", f"{figures['top3']:.1%}", f">= {TARGET_TOP3:.0%}", "ok" if verdicts["top3"] else "MISSED"],
        ["MRR (top 10)", f"{figures['mrr10']:.3f}", f">= {TARGET_MRR:.2f}", "ok" if verdicts["mrr10"] else "MISSED"],
        ["first place", f"{figures['top1']:.1%}", "", ""],
        ["search page p50 ms", f"{figures['p50_ms']:.1f}", "", ""],
        ["search page p95 ms", f"{figures['p95_ms']:.1f}", f"<= {TARGET_P95_MS:g}",
         "ok" if verdicts["p95_ms"] else "MISSED"],
        ["search page max ms", f"{figures['max_ms']:.1f}", "", ""],
        ["  CPU p50 / p95 ms", f"{figures['cpu_p50_ms']:.1f} / {figures['cpu_p95_ms']:.1f}", "", ""],
    ], ["figure", "value", "target", ""]))
    print()
    print(harness.table([[kind, str(group["queries"]), f"{group['top3']:.0%}", f"{group['mrr10']:.2f}"]
                         for kind, group in by_kind.items()], ["kind", "queries", "top 3", "MRR@10"]))
    print()
    slowest = sorted(rows, key=lambda row: row["ms"], reverse=True)[:5]
    print("Slowest queries (median ms): " + ", ".join(f"{row['q'][:40]!r} {row['ms']:.0f}" for row in slowest))
    print()
    print(f"Failed queries ({len(failures)}): expected entry's rank (- = not on the first page), what ranked above it")
    for row in failures:
        notes = []
        if row["go_to"]:
            notes.append("go-to: " + ", ".join(row["go_to"]))
        if row["correction"]:
            notes.append(row["correction"][:90])
        print(f"  [{row['kind']}] {row['q']!r} -> {'/'.join(row['expect'])} at {row['rank'] or '-'}; "
              f"above: {', '.join(row['above']) or '(no results)'}" + (f"  ({'; '.join(notes)})" if notes else ""))


if __name__ == "__main__":
    main()
