"""Every benchmark, on SQLite and then on a throwaway PostgreSQL: `make bench`.

    python bench/run_all.py            # load (1,000 and 10,000 entries), HTTP, search, soak; both databases
    python bench/run_all.py --quick    # 1,000 entries and shorter runs, for a first look

Each benchmark is its own script in bench/ and prints its own figures and targets; this
runs them one after the other (never two at once: they would measure each other), and
then runs itself again under tests/with_postgres.py for the PostgreSQL figures.
Exits non-zero when a benchmark could not run (a missed target is printed, not an error).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent


def plan(quick: bool, postgres: bool) -> list[list[str]]:
    entries = ["1000"] if quick else ["1000", "10000"]
    duration = "5" if quick else "10"
    runs = [["load.py", "--entries", *entries],
            ["http.py", "--duration", duration],
            ["http.py", "--duration", duration, "--entries", "1000", "--slow-clients", "0"]]
    if (BENCH / "search.py").exists():
        runs.append(["search.py", *(["--entries", "1000"] if quick else [])])
    if (BENCH / "soak.py").exists() and not postgres:  # the soak test is long: once, on the default database
        runs.append(["soak.py", *(["--seconds", "20"] if quick else [])])
    return runs


def run(script: list[str]) -> bool:
    print(f"\n$ python bench/{' '.join(script)}", flush=True)
    started = time.monotonic()
    done = subprocess.run([sys.executable, str(BENCH / script[0]), *script[1:]], cwd=ROOT)
    print(f"  ({time.monotonic() - started:.0f} s)", flush=True)
    return done.returncode == 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="1,000 entries and shorter runs")
    parser.add_argument("--sqlite-only", action="store_true", help="skip the PostgreSQL pass")
    options = parser.parse_args()
    postgres = os.environ.get("DATABASE_URL", "").startswith("postgres")
    print(f"# ImmunoRef benchmarks on {'PostgreSQL' if postgres else 'SQLite'}", flush=True)
    failed = [" ".join(script) for script in plan(options.quick, postgres) if not run(script)]
    if not postgres and not options.sqlite_only:
        if shutil.which("initdb") or list(Path("/usr/lib/postgresql").glob("*/bin/initdb")):
            command = [sys.executable, str(ROOT / "tests" / "with_postgres.py"), "--", sys.executable, __file__]
            if options.quick:
                command.append("--quick")
            print("\n# The same on a throwaway PostgreSQL server", flush=True)
            if subprocess.run(command, cwd=ROOT).returncode != 0:
                failed.append("the PostgreSQL pass")
        else:
            print("\n(PostgreSQL server binaries not found: no PostgreSQL figures; `apt-get install postgresql`)")
    if failed:
        print(f"\nCould not run: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
