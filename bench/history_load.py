"""What recording versions costs a full load: the same full load with and without recording.

    python bench/history_load.py [--entries 10000] [--runs 1]
    python tests/with_postgres.py -- python bench/history_load.py

Generates one synthetic content folder (bench/synthetic.py), then, ``--runs`` times and
interleaved, loads it into a fresh database with history recording switched off (the load's
hook made a no-op, as before entry history existed) and into another with it on (every entry
gets version 1: 10,000 versions at 10,000 entries).  Target: at most 25 % slower with recording.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness  # noqa: E402
import synthetic  # noqa: E402


def child(content_dir: str, record: bool) -> None:
    import io
    import os

    import django

    sys.path.insert(0, str(harness.ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "immunoref.settings")
    django.setup()
    from django.core.management import call_command

    if not record:
        import encyclopedia.history.load_hook as hook

        hook.record_versions = lambda *args, **kwargs: []
    out = io.StringIO()
    call_command("loadcontent", content_dir=content_dir, stdout=out)
    from encyclopedia.history.models import EntryVersion

    print(json.dumps({"versions": EntryVersion.objects.count()}))


def timed(record: bool, content_dir: Path, run: int) -> tuple[float, int]:
    database = harness.Database(f"immunoref_bench_history_load_{int(record)}_{run}")
    try:
        harness.manage(database.env(), "migrate", "--noinput", "-v", "0")
        started = time.monotonic()
        done = subprocess.run([harness.PYTHON, __file__, "--child", str(content_dir), "--record", str(int(record))],
                              env=database.env(), cwd=harness.ROOT, capture_output=True, text=True)
        seconds = time.monotonic() - started
        if done.returncode != 0:
            sys.exit(f"loadcontent failed:\n{done.stdout[-3000:]}{done.stderr[-3000:]}")
        return seconds, json.loads(done.stdout.strip().splitlines()[-1])["versions"]
    finally:
        database.drop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entries", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--record", type=int, default=1, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        child(options.child, bool(options.record))
        return
    print(f"== Full load with and without recording versions ({harness.database_label()}) — "
          f"{harness.environment()}", flush=True)
    with tempfile.TemporaryDirectory(prefix="immunoref-history-load-") as folder:
        content_dir = Path(folder) / "content"
        synthetic.generate(content_dir, options.entries)
        off, on = [], []
        for run in range(options.runs):
            seconds, versions = timed(False, content_dir, run)
            off.append(seconds)
            print(f"  run {run + 1}: without recording {seconds:.1f} s ({versions} versions)", flush=True)
            seconds, versions = timed(True, content_dir, run)
            on.append(seconds)
            print(f"  run {run + 1}: with recording    {seconds:.1f} s ({versions:,} versions)", flush=True)
    before, after = statistics.median(off), statistics.median(on)
    print(f"{options.entries:,} entries, median of {options.runs}: {before:.1f} s without, {after:.1f} s with "
          f"recording: {100 * (after - before) / before:+.1f} % (target at most +25 %)")


if __name__ == "__main__":
    main()
