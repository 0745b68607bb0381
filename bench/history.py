"""Entry history at scale: storage per version, history and compare page times, the cost of recording.

    python bench/history.py [--entries 10000] [--versions 20]
    python tests/with_postgres.py -- python bench/history.py      # the same on PostgreSQL

Makes a fresh database, inserts synthetic versions directly (``--entries`` entries with
``--versions`` versions each: realistic page bodies of 6 to 12 kB in sections of
paragraphs with citations, each version changing a few words of one paragraph), then:

- storage per version: the database's growth divided by the versions inserted, and the
  compressed bytes of the stored texts (identical texts are stored once);
- the history page and a comparison of two versions far apart, timed at the server
  (Django's test client in this process, no page cache: every request builds the page),
  median and 95th percentile over random entries (target: under 100 ms);
- a comparison on a 200,000-character entry;
- what recording costs a full load: ``record_versions`` for one new version of every entry
  (to compare with the full load's time in bench/load.py; target: at most 25 % of it).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness  # noqa: E402

WORDS = ("cell cells immune blood infusion treatment doctor team patient fever risk test week day body marrow "
         "donor study trial cancer therapy care nurse dose receptor target signal lymphocyte response").split()


def paragraph(rng: random.Random, keys: list[str]) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(40, 90))]
    words[0] = words[0].capitalize()
    cite = rng.choice(keys)
    return (" ".join(words) + f" {rng.randint(1, 99)}% of people"
            + f' <sup class="cite">[<a class="cite-link" href="#ref-{cite}" id="cite-{cite}-1">1</a>]</sup>.')


def body(rng: random.Random, sections: int = 6, per_section: int = 4) -> list[list[str]]:
    keys = [f"ref{n}" for n in range(8)]
    return [[paragraph(rng, keys) for _ in range(per_section)] for _ in range(sections)]


def html_of(parts: list[list[str]]) -> str:
    out = []
    for index, paragraphs in enumerate(parts):
        if index:
            out.append(f'<h2 id="part-{index}">Part {index}</h2>')
        out.extend(f"<p>{text}</p>" for text in paragraphs)
    out.append('<section class="references" aria-labelledby="references"><h2 id="references">References</h2><ol>'
               + "".join(f'<li id="ref-ref{n}">Author {n}. A study of cells. J Cells. 20{10 + n}.</li>' for n in range(8))
               + "</ol></section>")
    return "".join(out)


def setup(url: str) -> None:
    os.environ.update(DATABASE_URL=url, DJANGO_DEBUG="0", DJANGO_ALLOWED_HOSTS="testserver",
                      DJANGO_SETTINGS_MODULE="immunoref.settings")
    sys.path.insert(0, str(harness.ROOT))
    import django

    django.setup()
    from django.conf import settings

    # Page times, not static files: plain static addresses (no collectstatic manifest needed).
    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}


START_DAY = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)


def version_texts(rng: random.Random, title: str, numbers: range) -> list[tuple[int, str, str]]:
    """(number, source, page body) of successive versions; each after the first changes a few words of one
    paragraph."""
    parts = body(rng)
    texts = []
    for index, number in enumerate(numbers):
        if index:
            section = rng.randrange(len(parts))
            paragraph_index = rng.randrange(len(parts[section]))
            words = parts[section][paragraph_index].split(" ")
            words[rng.randrange(min(len(words), 40))] = rng.choice(WORDS)
            parts[section][paragraph_index] = " ".join(words)
        html = html_of(parts)
        texts.append((number, f"---\ntitle: {title}\n---\n" + html, html))
    return texts


def add_versions(histories, numbers: range, rng: random.Random, *, digest_last: bool = True) -> None:
    """Insert synthetic versions ``numbers`` of each history (texts stored once); inside a transaction.
    ``digest_last``: the last of ``numbers`` gets its readable digest, as a newest version may have."""
    from encyclopedia.history.models import EntryVersion, StoredText, text_digest
    from encyclopedia.history.readable import readable_digest

    rows = []
    for history in histories:
        texts = version_texts(rng, history.title, numbers)
        stored = StoredText.objects.ensure([text for _n, source, html in texts for text in (source, html)])
        for number, source, html in texts:
            rows.append(EntryVersion(
                history=history, number=number, title=history.title,
                loaded_at=START_DAY + dt.timedelta(days=30 * number),
                notes=[[f"2024-01-{(number % 28) + 1:02d}", f"Change {number}."]],
                source_id=stored[text_digest(source)], body_id=stored[text_digest(html)],
                readable_digest=readable_digest(html, history.title) if digest_last and number == numbers[-1] else ""))
    EntryVersion.objects.bulk_create(rows, batch_size=1000)


def insert(entries: int, versions: int, seed: int = 1) -> float:
    from django.db import transaction

    from encyclopedia.history.models import EntryHistory

    rng = random.Random(seed)
    started = time.perf_counter()
    for first in range(0, entries, 100):
        with transaction.atomic():
            histories = EntryHistory.objects.bulk_create([
                EntryHistory(slug=f"entry-{n:05d}", title=f"Entry {n}", started_at=START_DAY)
                for n in range(first, min(first + 100, entries))])
            add_versions(histories, range(1, versions + 1), rng)
        if first and first % 2000 == 0:
            print(f"  {first} entries inserted", flush=True)
    return time.perf_counter() - started


def timed(client, urls: list[str]) -> tuple[float, float]:
    times = []
    for url in urls:
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entries", type=int, default=10000)
    parser.add_argument("--versions", type=int, default=20)
    parser.add_argument("--requests", type=int, default=100)
    options = parser.parse_args()
    database = harness.Database("bench-history")
    try:
        harness.manage(database.env(), "migrate", "--noinput", "-v", "0")
        before = database.size_bytes()
        setup(database.url)
        print(f"{harness.environment()}\n{harness.database_label()}: {options.entries} entries × "
              f"{options.versions} versions", flush=True)
        seconds = insert(options.entries, options.versions)
        from django.db import connection
        from django.test import Client

        from encyclopedia.history.compare import compare
        from encyclopedia.history.models import EntryVersion, StoredText
        from encyclopedia.history.readable import readable
        from encyclopedia.history.recording import EntrySnapshot, record_versions

        if connection.vendor == "sqlite":
            connection.cursor().execute("VACUUM")
        count = EntryVersion.objects.count()
        grown = database.size_bytes() - before
        compressed = sum(len(bytes(data)) for data in StoredText.objects.values_list("data", flat=True).iterator())
        raw = sum(StoredText.objects.values_list("size", flat=True))
        print(f"inserted {count:,} versions in {seconds:.0f} s")
        print(f"storage: {grown / count:,.0f} bytes per version in the database; stored texts "
              f"{compressed / count:,.0f} bytes per version compressed ({raw / max(compressed, 1):.1f}× smaller "
              f"than the {raw / count:,.0f} bytes of text)")

        rng = random.Random(2)
        client = Client()
        slugs = [f"entry-{rng.randrange(options.entries):05d}" for _ in range(options.requests)]
        client.get(f"/entries/{slugs[0]}/history/")  # warm up templates
        median, p95 = timed(client, [f"/entries/{slug}/history/" for slug in slugs])
        print(f"history page:  median {median:.1f} ms, p95 {p95:.1f} ms (target < 100 ms)")
        median, p95 = timed(client, [f"/entries/{slug}/compare/?from=1&to={options.versions}" for slug in slugs])
        print(f"compare page:  median {median:.1f} ms, p95 {p95:.1f} ms (target < 100 ms)")
        median, p95 = timed(client, [f"/entries/{slug}/v/{rng.randint(1, options.versions)}/" for slug in slugs])
        print(f"version page:  median {median:.1f} ms, p95 {p95:.1f} ms")

        big_rng = random.Random(3)
        parts = body(big_rng, sections=40, per_section=12)
        old_html = html_of(parts)
        parts[5][3] = parts[5][3].replace("cell", "cells", 1) + " A new sentence."
        parts[30].append(paragraph(big_rng, ["ref1"]))
        new_html = html_of(parts)
        started = time.perf_counter()
        result = compare(readable(old_html), readable(new_html))
        print(f"200,000-character entry ({len(old_html):,} characters): readable text of both and comparison in "
              f"{(time.perf_counter() - started) * 1000:.0f} ms; {result.counts['changed']} sections changed")

        snapshots = []
        for n in range(options.entries):
            html = html_of(body(random.Random(n + 99)))
            snapshots.append(EntrySnapshot(slug=f"entry-{n:05d}", title=f"Entry {n}", source="src " + html,
                                           body_html=html))
        from django.db import transaction

        started = time.perf_counter()
        with transaction.atomic():
            recorded = record_versions(snapshots, dt.datetime.now(dt.timezone.utc), False)
        print(f"recording one new version of every entry ({len(recorded):,} versions), as a full load would: "
              f"{time.perf_counter() - started:.1f} s")
    finally:
        from django.db import connections

        connections.close_all()
        database.drop()


if __name__ == "__main__":
    main()
