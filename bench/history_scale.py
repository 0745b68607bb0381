"""Entry history at scale (issue 14): do many versions per entry slow pages, search or reloads?

    python bench/history_scale.py [--entries 10000] [--versions 20] [--rounds 3] [--json]
    python tests/with_postgres.py -- python bench/history_scale.py      # the same on PostgreSQL

Generates one synthetic content folder (bench/synthetic.py) and loads it with the real loader
(``load_content``, recording versions, so every entry has version 1) into database A.  Database B
is an exact copy of A (SQLite: the backup API; PostgreSQL: ``CREATE DATABASE … TEMPLATE``) into
which ``--versions`` - 1 older synthetic versions of every entry are inserted directly
(bench/history.py's generator); the loaded version is renumbered the newest, so in B as in A the
newest version is the entry's file and a load compares against it.  Then ``--rounds`` times, A and
B alternately, a new process per database measures:

- the entry page at the server (Django's test client, page cache off): median and p95 over a
  fixed random sample of 200 entries;
- the search page ``/search/?q=…`` for 50 fixed queries (20 entry titles, 15 words and 15 word
  pairs of the synthetic text): median and p95;
- a no-change reload (``load_content`` on the same folder), after an untimed one so that both
  databases start from trusted file stamps, with the loader's imports done;
- a one-file reload (one word of one entry changed), then the reload that restores the file
  (each records a version, in A and in B alike).

Prints each figure's median over the rounds for A and B, B/A, and the spread of A's rounds
((max - min) / median); then the storage B's versions take (B's size less A's, per version
inserted).  Target (issue 14): B within 5 % of A, or within A's own spread where that is wider.
Asserts nothing; ``--json`` prints one JSON document instead (progress goes to stderr).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

# history first: it puts bench/ on the path again, then imports harness, which moves bench/ after the
# standard library (bench/http.py would hide the standard library's http).
import history  # noqa: E402, I001
import harness  # noqa: E402
import synthetic  # noqa: E402

PAGES, TITLES, WORDS, PAIRS = 200, 20, 15, 15
TOLERANCE = 0.05
FIGURES = ["entry page median ms", "entry page p95 ms", "search page median ms", "search page p95 ms",
           "no-change reload ms", "one-file reload ms", "restoring reload ms"]


# ---- in the child processes (Django set up on the database named by DATABASE_URL)

def _vacuum() -> None:
    from django.db import connection

    if connection.vendor == "postgresql":  # as autovacuum soon would after a bulk change: planner statistics
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def child_load(content_dir: str) -> dict:
    from encyclopedia.history.models import EntryVersion
    from encyclopedia.pipeline import load_content

    report = load_content(content_dir)
    _vacuum()
    return {"report": report.summary(), "versions": EntryVersion.objects.count()}


def child_insert(versions: int) -> dict:
    """Renumber each loaded version ``versions`` (the newest) and insert versions 1 .. versions - 1 before it."""
    from django.db import transaction

    from encyclopedia.history.models import EntryHistory, EntryVersion

    with transaction.atomic():
        EntryVersion.objects.filter(number=1).update(number=versions)  # the benchmark may; the app never does
        EntryHistory.objects.update(started_at=history.START_DAY)
    ids = list(EntryHistory.objects.order_by("pk").values_list("pk", flat=True))
    rng = random.Random(1)
    started = time.perf_counter()
    for first in range(0, len(ids), 100):
        with transaction.atomic():
            chunk = list(EntryHistory.objects.filter(pk__in=ids[first:first + 100]).order_by("pk"))
            history.add_versions(chunk, range(1, versions), rng, digest_last=False)
    seconds = time.perf_counter() - started
    _vacuum()
    return {"versions": EntryVersion.objects.count(), "seconds": seconds}


def samples() -> tuple[list[str], list[str]]:
    """The entry sample and the queries: the same in A and B (they hold the same entries)."""
    from encyclopedia.models import Entry

    rng = random.Random(2)
    entries = list(Entry.objects.order_by("slug").values_list("slug", "title"))
    slugs = [slug for slug, _title in rng.sample(entries, min(PAGES, len(entries)))]
    words = sorted({word for word in synthetic.vocabulary() if len(word) > 3})
    queries = [title for _slug, title in rng.sample(entries, min(TITLES, len(entries)))]
    queries += [rng.choice(words) for _ in range(WORDS)]
    queries += [f"{rng.choice(words)} {rng.choice(words)}" for _ in range(PAIRS)]
    return slugs, queries


def one_word_changed(text: str) -> str:
    """The entry file with the first word of its body replaced."""
    front, marker, body = text.partition("\n---\n")
    word = re.search(r"[A-Za-z]{3,}", body)
    other = "Altered" if word.group() == "Changed" else "Changed"
    return front + marker + body[:word.start()] + other + body[word.end():]


def reloads(content_dir: str, slug: str) -> tuple[dict, dict]:
    """Times (ms) and reports of a no-change reload, a one-file reload and the reload restoring that file."""
    from encyclopedia.changes import RACY_NS
    from encyclopedia.pipeline import load_content

    root = Path(content_dir)
    newest = max(path.stat().st_ctime_ns for path in root.iterdir())  # wait until every file is trusted by stamp
    time.sleep(max(0.0, (newest + RACY_NS + 100_000_000 - time.time_ns()) / 1e9))
    load_content(content_dir)  # untimed: stamps the other database's reload changed are read again here
    path = root / f"{slug}.md"
    original = path.read_text(encoding="utf-8")
    times, reports = {}, {}
    for name, text in (("no-change reload ms", None), ("one-file reload ms", one_word_changed(original)),
                       ("restoring reload ms", original)):
        if text is not None:
            path.write_text(text, encoding="utf-8")
        started = time.perf_counter()
        reports[name] = load_content(content_dir).summary()
        times[name] = (time.perf_counter() - started) * 1000
    return times, reports


def child_measure(content_dir: str, slug: str) -> dict:
    from django.test import Client

    client = Client()
    slugs, queries = samples()
    entry_urls = [f"/entries/{slug}/" for slug in slugs]
    search_urls = [f"/search/?{urlencode({'q': query})}" for query in queries]
    client.get(entry_urls[0])  # warm up: templates, connections
    client.get(search_urls[0])
    figures = {}
    figures["entry page median ms"], figures["entry page p95 ms"] = history.timed(client, entry_urls)
    figures["search page median ms"], figures["search page p95 ms"] = history.timed(client, search_urls)
    times, reports = reloads(content_dir, slug)
    figures.update(times)
    from encyclopedia.history.models import EntryVersion

    return {"figures": figures, "reports": reports, "pages": len(entry_urls), "queries": len(search_urls),
            "versions": EntryVersion.objects.count()}


def child(options: argparse.Namespace) -> None:
    history.setup(os.environ["DATABASE_URL"])
    if options.child == "load":
        result = child_load(options.content)
    elif options.child == "insert":
        result = child_insert(options.versions)
    else:
        result = child_measure(options.content, options.slug)
    print(json.dumps(result))


# ---- in the parent process

def run_child(database: harness.Database, *args: str) -> tuple[dict, float]:
    """Run this script as a child on ``database``: its JSON result and its wall time in seconds."""
    started = time.monotonic()
    done = subprocess.run([harness.PYTHON, __file__, "--child", *args], cwd=harness.ROOT, capture_output=True,
                          text=True, env=database.env(
                              IMMUNOREF_PAGE_CACHE_SECONDS="0",
                              # render limits are bench/load.py's subject; a busy machine must not stop a load
                              IMMUNOREF_RENDER_CPU_SECONDS=os.environ.get("IMMUNOREF_RENDER_CPU_SECONDS", "30")))
    if done.returncode != 0:
        sys.exit(f"history_scale.py --child {' '.join(args)} failed:\n{done.stdout[-3000:]}{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1]), time.monotonic() - started


def prepare(options, content_dir: Path, databases: dict, say) -> dict:
    """Make ``databases`` A (loaded) and B (a copy of A with the synthetic versions); what that took."""
    steps: dict = {}
    started = time.monotonic()
    generated = synthetic.generate(content_dir, options.entries)
    steps["generate s"] = time.monotonic() - started
    say(f"  generated {options.entries:,} entries ({generated.words:,} words) in {steps['generate s']:.1f} s")
    a = databases["A"] = harness.Database("immunoref_bench_history_scale_a")
    harness.manage(a.env(), "migrate", "--noinput", "-v", "0")
    loaded, steps["load s"] = run_child(a, "load", "--content", str(content_dir))
    say(f"  A: loaded in {steps['load s']:.1f} s ({loaded['report']}); {loaded['versions']:,} versions")
    started = time.monotonic()
    b = databases["B"] = a.copy("immunoref_bench_history_scale_b")
    steps["copy s"] = time.monotonic() - started
    inserted, steps["insert s"] = run_child(b, "insert", "--versions", str(options.versions))
    steps["versions inserted"] = inserted["versions"] - loaded["versions"]
    steps["A bytes"], steps["B bytes"] = a.size_bytes(), b.size_bytes()
    say(f"  B: copied in {steps['copy s']:.1f} s; {steps['versions inserted']:,} versions inserted in "
        f"{steps['insert s']:.1f} s ({inserted['seconds'] * 1000 / max(1, steps['versions inserted']):.2f} ms a "
        f"version inside the process; {inserted['versions']:,} versions in all)")
    return steps


def measure(databases: dict, content_dir: Path, slug: str, rounds: int, say) -> dict[str, list[dict]]:
    """``rounds`` rounds, A then B in each: one child process per database and round."""
    results: dict[str, list[dict]] = {label: [] for label in databases}
    for number in range(1, rounds + 1):
        for label, database in databases.items():
            result, seconds = run_child(database, "measure", "--content", str(content_dir), "--slug", slug)
            result["seconds"] = seconds
            results[label].append(result)
            say(f"  round {number} {label} ({seconds:.1f} s, {result['versions']:,} versions after): "
                + ", ".join(f"{name.removesuffix(' ms')} {value:.1f}" for name, value in result["figures"].items()))
    return results


def summary(results: dict[str, list[dict]]) -> list[dict]:
    rows = []
    for name in FIGURES:
        a = [result["figures"][name] for result in results["A"]]
        b = [result["figures"][name] for result in results["B"]]
        a_median, b_median = statistics.median(a), statistics.median(b)
        spread = (max(a) - min(a)) / a_median if a_median else 0.0
        ratio = b_median / a_median if a_median else float("nan")
        rows.append({"figure": name, "A": a_median, "B": b_median, "B/A": ratio, "A spread": spread,
                     "tolerance": max(TOLERANCE, spread), "met": ratio <= 1 + max(TOLERANCE, spread),
                     "A rounds": a, "B rounds": b})
    return rows


def report(options, rows: list[dict], steps: dict, results: dict) -> None:
    grown = steps["B bytes"] - steps["A bytes"]
    per_version = grown / max(1, steps["versions inserted"])
    if options.json:
        print(json.dumps({"database": harness.database_label(), "environment": harness.environment(),
                          "entries": options.entries, "versions": options.versions, "rounds": options.rounds,
                          "target": f"B/A <= 1 + max({TOLERANCE}, A spread)", "rows": rows, "steps": steps,
                          "bytes per version": per_version, "reports": results["B"][-1]["reports"],
                          "load average": os.getloadavg()}, indent=2))
        return
    print(harness.table([[row["figure"], f"{row['A']:.1f}", f"{row['B']:.1f}", f"{row['B/A']:.3f}",
                          f"{row['A spread']:.1%}", f"<= {1 + row['tolerance']:.3f}", "ok" if row["met"] else "MISSED"]
                         for row in rows],
                        [f"figure (median of {options.rounds})", "A", "B", "B/A", "A spread", "target", ""]))
    print(f"  target: B within {TOLERANCE * 100:.0f} % of A, or within A's own spread where that is wider")
    print(f"  storage: A {steps['A bytes'] / 1e6:.1f} MB, B {steps['B bytes'] / 1e6:.1f} MB: {grown / 1e6:+.1f} MB for "
          f"{steps['versions inserted']:,} versions, {per_version:,.0f} bytes per version")
    print("  reloads in B's last round: " + "; ".join(f"{name.removesuffix(' ms')}: {text}"
                                                    for name, text in results["B"][-1]["reports"].items()))
    print(f"  load average now: {os.getloadavg()[0]:.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entries", type=int, default=10000)
    parser.add_argument("--versions", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", action="store_true", help="print one JSON document instead of the text report")
    parser.add_argument("--child", choices=["load", "insert", "measure"], help=argparse.SUPPRESS)
    parser.add_argument("--content", help=argparse.SUPPRESS)
    parser.add_argument("--slug", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        child(options)
        return

    def say(line: str) -> None:
        print(line, file=sys.stderr if options.json else sys.stdout, flush=True)

    say(f"== Entry history at scale ({harness.database_label()}): {options.entries:,} entries, {options.versions} "
        f"versions each in B, {options.rounds} rounds — {harness.environment()}")
    databases: dict[str, harness.Database] = {}
    try:
        with tempfile.TemporaryDirectory(prefix="immunoref-history-scale-") as folder:
            content_dir = Path(folder) / "content"
            steps = prepare(options, content_dir, databases, say)
            slug = f"entry-{options.entries // 2:05d}"
            results = measure(databases, content_dir, slug, options.rounds, say)
    finally:
        for database in databases.values():
            database.drop()
    report(options, summary(results), steps, results)


if __name__ == "__main__":
    main()
