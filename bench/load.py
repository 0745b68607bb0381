"""How long loading content takes: full load, no-change reload, one changed file.

    python bench/load.py [--entries 1000 10000]
    python tests/with_postgres.py -- python bench/load.py      # the same on PostgreSQL

For each size, generates a synthetic content folder (bench/synthetic.py) in a temporary
folder, makes a fresh database, and runs ``manage.py loadcontent`` three times, each in
a new process as an editor would: into the empty database, again with nothing changed,
and after one entry's text changed.  Prints the wall time of each command (process
start included), the database size and the peak memory of the loader process and of
its largest render worker, and the CPU time used (which, unlike wall time, does not
depend on what else the machine is doing).  Targets: 1,000 entries <= 15 s, 10,000 <= 150 s, a no-change
reload <= 2 s at 10,000, one changed file <= 1 s.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness  # noqa: E402
import synthetic  # noqa: E402

TARGETS = {  # entries -> (full load, no-change reload, one changed file), seconds
    1000: (15.0, 2.0, 1.0),
    10000: (150.0, 2.0, 1.0),
}


def child(content_dir: str) -> None:
    """Run ``loadcontent`` in this process and print its report and peak memory as JSON."""
    import io

    import django
    from django.core.management import call_command

    sys.path.insert(0, str(harness.ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "immunoref.settings")
    django.setup()
    out = io.StringIO()
    call_command("loadcontent", content_dir=content_dir, stdout=out, verbosity=1)
    own, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    print(json.dumps({
        "summary": out.getvalue().strip().removeprefix("Loaded content: "),
        "loader_mb": own.ru_maxrss / 1024,
        "worker_mb": workers.ru_maxrss / 1024,
        "cpu": own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime,
    }))


def timed_load(database: harness.Database, content_dir: Path) -> dict:
    started = time.monotonic()
    done = subprocess.run([harness.PYTHON, __file__, "--child", str(content_dir)], env=database.env(),
                          cwd=harness.ROOT, capture_output=True, text=True)
    seconds = time.monotonic() - started
    if done.returncode != 0:
        sys.exit(f"loadcontent failed:\n{done.stdout[-3000:]}{done.stderr[-3000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["seconds"] = seconds
    return result


def measure(entries: int, folder: Path) -> list[list[str]]:
    content_dir = folder / f"content-{entries}"
    started = time.monotonic()
    generated = synthetic.generate(content_dir, entries)
    print(f"  generated {entries:,} entries ({generated.words:,} words) in {time.monotonic() - started:.1f} s",
          flush=True)
    database = harness.Database(f"immunoref_bench_load_{entries}")
    try:
        harness.manage(database.env(), "migrate", "--noinput", "-v", "0")
        targets = TARGETS.get(entries, (None, None, None))
        rows = []
        full = timed_load(database, content_dir)
        size = database.size_bytes()
        rows.append(("full load", full, targets[0]))
        rows.append(("no-change reload", timed_load(database, content_dir), targets[1]))
        synthetic.change_one(content_dir, generated.slugs[len(generated.slugs) // 2])
        rows.append(("one file changed", timed_load(database, content_dir), targets[2]))
        print(f"  database size after the full load: {size / 1e6:.1f} MB", flush=True)
        return [[f"{entries:,} {name}", f"{result['seconds']:.2f}", f"<= {target:g}" if target else "",
                 ("ok" if result["seconds"] <= target else "MISSED") if target else "",
                 f"{result['cpu']:.1f}", f"{result['loader_mb']:.0f}", f"{result['worker_mb']:.0f}", result["summary"]]
                for name, result, target in rows]
    finally:
        database.drop()


def main() -> None:
    parser = argparse.ArgumentParser(description="Time content loads on synthetic content.")
    parser.add_argument("--entries", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--child", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        child(options.child)
        return
    print(f"== Content load ({harness.database_label()}) — {harness.environment()}", flush=True)
    rows = []
    with tempfile.TemporaryDirectory(prefix="immunoref-load-") as folder:
        for entries in options.entries:
            rows += measure(entries, Path(folder))
    print(harness.table(rows, ["case", "seconds", "target", "", "CPU s", "loader MB", "worker MB", "report"]))
    print(f"  (CPU s: loader and render workers together; on an idle machine with {os.cpu_count()} cores a full load "
          f"takes about CPU s / {os.cpu_count()} plus the single-threaded write. Load average now: "
          f"{os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    main()
