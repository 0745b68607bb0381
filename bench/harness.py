"""What every benchmark needs: the environment line, throwaway databases, manage.py, RSS.

A benchmark never touches the project's own database: it makes a fresh SQLite file in
a temporary folder, or, when ``DATABASE_URL`` names a PostgreSQL server (as
``tests/with_postgres.py`` sets it), a fresh database on that server.
"""

from __future__ import annotations

import os
import platform
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

# Measure the code as it is deployed: Python caches each module's bytecode.  A shell that sets
# PYTHONDONTWRITEBYTECODE makes every child process compile every module from source, which
# costs a reload more than the reload's own work (0.4 s of 0.8 s for a no-change reload).
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
# bench/http.py bears the standard library's name `http`: keep this folder after the standard
# library on the path, or Django's `import http.cookies` would find the benchmark.
sys.path[:] = [entry for entry in sys.path if Path(entry or os.curdir).resolve() != BENCH] + [str(BENCH)]
PYTHON = sys.executable
MANAGE = str(ROOT / "manage.py")


def server_url() -> str:
    """The PostgreSQL server URL from DATABASE_URL, or "" for SQLite."""
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else ""


def database_label() -> str:
    return "PostgreSQL" if server_url() else "SQLite"


def _pg_connect(url: str, dbname: str):
    import psycopg

    parts = urlsplit(url)
    return psycopg.connect(host=parts.hostname, port=parts.port or 5432, user=parts.username,
                           password=parts.password, dbname=dbname, autocommit=True)


def postgres_version() -> str:
    url = server_url()
    if not url:
        return ""
    with _pg_connect(url, "postgres") as connection:
        return connection.execute("SHOW server_version").fetchone()[0]


def environment() -> str:
    import django

    parts = [f"{os.cpu_count()} CPUs", f"Python {platform.python_version()}", f"Django {django.get_version()}",
             f"SQLite {sqlite3.sqlite_version}"]
    if server_url():
        parts.append(f"PostgreSQL {postgres_version()}")
    if shutil.which("wrk"):
        version = subprocess.run(["wrk", "--version"], capture_output=True, text=True)
        parts.append((version.stdout or version.stderr).split(" [")[0].strip())
    parts.append(platform.platform(terse=True))
    return ", ".join(parts)


class Database:
    """A fresh database for one benchmark; ``url`` goes into DATABASE_URL; ``drop()`` removes it."""

    def __init__(self, name: str):
        self.name = name
        self.folder = Path(tempfile.mkdtemp(prefix=f"immunoref-{name}-"))
        base = server_url()
        if base:
            with _pg_connect(base, "postgres") as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
                connection.execute(f'CREATE DATABASE "{name}"')
            parts = urlsplit(base)
            self.url = urlunsplit(parts._replace(path=f"/{name}"))
        else:
            self.url = f"sqlite:///{self.folder / 'db.sqlite3'}"

    def size_bytes(self) -> int:
        if server_url():
            with _pg_connect(server_url(), "postgres") as connection:
                return connection.execute("SELECT pg_database_size(%s)", [self.name]).fetchone()[0]
        return sum(path.stat().st_size for path in self.folder.glob("db.sqlite3*"))

    def copy(self, name: str) -> "Database":
        """A new database that is an exact copy of this one (close every connection to this one first):
        PostgreSQL copies it as a template, SQLite page by page (the backup API)."""
        copy = Database(name)
        if server_url():
            with _pg_connect(server_url(), "postgres") as connection:
                connection.execute(f'DROP DATABASE "{name}"')
                connection.execute(f'CREATE DATABASE "{name}" TEMPLATE "{self.name}"')
            return copy
        source, target = sqlite3.connect(self.folder / "db.sqlite3"), sqlite3.connect(copy.folder / "db.sqlite3")
        try:
            source.backup(target)
        finally:
            source.close()
            target.close()
        return copy

    def env(self, **extra: str) -> dict[str, str]:
        return dict(os.environ, DATABASE_URL=self.url, DJANGO_DEBUG="0", PYTHONUNBUFFERED="1", **extra)

    def drop(self) -> None:
        if server_url():
            with _pg_connect(server_url(), "postgres") as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        shutil.rmtree(self.folder, ignore_errors=True)


def manage(env: dict[str, str], *args: str) -> str:
    """Run a manage.py command; its output, or exit with what it printed."""
    done = subprocess.run([PYTHON, MANAGE, *args], env=env, cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


def rss_mb(pid: int) -> float:
    """Resident memory of one process, in MB (0 when it is gone)."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except (FileNotFoundError, ProcessLookupError):
        pass
    return 0.0


def child_pids(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children", encoding="ascii") as children:
            return [int(value) for value in children.read().split()]
    except FileNotFoundError:
        return []


def table(rows: list[list[str]], header: list[str]) -> str:
    widths = [max(len(str(row[index])) for row in [header, *rows]) for index in range(len(header))]
    lines = ["  ".join(str(cell).ljust(width) if index == 0 else str(cell).rjust(width)
                       for index, (cell, width) in enumerate(zip(line, widths)))
             for line in [header, *rows]]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)
