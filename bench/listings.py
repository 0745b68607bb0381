"""Listing pages at 10,000 entries: the largest HTML of every listing page and each of its pages.

    python bench/listings.py [--entries 10000]
    python tests/with_postgres.py -- python bench/listings.py

Makes a synthetic content folder (bench/synthetic.py), loads it into a fresh database,
then asks for the A–Z page, every letter page, every topic, the sources and the glossary,
following each "?page=N" link, and prints the largest page of each kind.  Target: every
page under 300 KB of HTML.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import time
from pathlib import Path

import harness
import synthetic

TARGET_KB = 300


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=10000)
    options = parser.parse_args()
    print(harness.environment())
    database = harness.Database(f"immunoref_bench_listings_{os.getpid()}")
    scratch = tempfile.TemporaryDirectory(prefix="immunoref-listings-")
    try:
        folder = Path(scratch.name)
        synthetic.generate(folder, options.entries)
        env = database.env()
        harness.manage(env, "migrate", "--noinput", "-v", "0")
        started = time.monotonic()
        harness.manage(env, "loadcontent", "--content-dir", str(folder), "-v", "0")
        print(f"{options.entries} entries loaded in {time.monotonic() - started:.0f} s")
        os.environ.update(env, DJANGO_SETTINGS_MODULE="immunoref.settings", DJANGO_ALLOWED_HOSTS="testserver")
        sys.path.insert(0, str(harness.ROOT))
        import django

        django.setup()
        from django.test import Client

        client = Client()
        largest: dict[str, tuple[int, str]] = {}
        pages = 0
        queue = ["/entries/", "/references/", "/glossary/"] + [
            match for match in re.findall(r'href="(/categories/[^"]+/)"', client.get("/").content.decode())]
        seen = set()
        while queue:
            url = queue.pop()
            if url in seen:
                continue
            seen.add(url)
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            html = response.content.decode()
            pages += 1
            kind = re.sub(r"\?.*", "", re.sub(r"/(categories|a-z)/[^/]+/", r"/\1/…/", url))
            if len(html) > largest.get(kind, (0, ""))[0]:
                largest[kind] = (len(html), url)
            base = url.split("?")[0]
            queue += [f"{base}?page={n}" for n in re.findall(r'href="\?page=(\d+)"', html)]
            queue += re.findall(r'href="(/a-z/[^"]+/)"', html)
        rows = [[kind, f"{size / 1024:.0f} KB", url, "ok" if size < TARGET_KB * 1024 else "OVER"]
                for kind, (size, url) in sorted(largest.items())]
        print(harness.table(rows, ["listing", "largest page", "at", f"< {TARGET_KB} KB"]))
        print(f"{pages} listing pages fetched")
        return 0 if all(row[3] == "ok" for row in rows) else 1
    finally:
        database.drop()
        scratch.cleanup()


if __name__ == "__main__":
    sys.exit(main())
