"""Real processes for tests that need them: a throwaway database, manage.py, gunicorn.

The database is a SQLite file in a temporary folder, or, when the tests run against
PostgreSQL (``tests/with_postgres.py`` sets ``DATABASE_URL``), a fresh database on that
server.  The server is started the way ``make run`` starts it (gunicorn with
gunicorn.conf.py), on a loopback port in 8060-8069.
"""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PORTS = range(8060, 8070)


def postgres_server() -> str:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else ""


def _pg(url: str, dbname: str):
    import psycopg

    parts = urlsplit(url)
    return psycopg.connect(host=parts.hostname, port=parts.port or 5432, user=parts.username,
                           password=parts.password, dbname=dbname, autocommit=True)


class Database:
    """A fresh, empty database; ``env()`` is the environment for processes that use it."""

    def __init__(self, label: str = "faults"):
        self.folder = Path(tempfile.mkdtemp(prefix=f"immunoref-{label}-"))
        self.server = postgres_server()
        self.name = f"immunoref_{label}_{uuid.uuid4().hex[:8]}"
        if self.server:
            with _pg(self.server, "postgres") as connection:
                connection.execute(f'CREATE DATABASE "{self.name}"')
            self.url = urlunsplit(urlsplit(self.server)._replace(path=f"/{self.name}"))
            self.vendor = "postgresql"
        else:
            self.url = f"sqlite:///{self.folder / 'db.sqlite3'}"
            self.vendor = "sqlite"

    def env(self, **extra: str) -> dict[str, str]:
        env = {key: value for key, value in os.environ.items() if not key.startswith("PYTEST")}
        env.update(DATABASE_URL=self.url, DJANGO_DEBUG="0", DJANGO_SETTINGS_MODULE="immunoref.settings",
                   IMMUNOREF_TESTING="1", PYTHONUNBUFFERED="1")
        env.update(extra)
        return env

    def drop(self) -> None:
        if self.server:
            with _pg(self.server, "postgres") as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        shutil.rmtree(self.folder, ignore_errors=True)


def manage(env: dict[str, str], *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([PYTHON, str(ROOT / "manage.py"), *args], env=env, cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout)


def free_port() -> int:
    for port in PORTS:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port in 8060-8069")


class Response:
    def __init__(self, status: int, headers: dict[str, str], body: bytes):
        self.status, self.headers, self.body = status, headers, body

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


class Server:
    """gunicorn serving the project, as ``make run`` starts it; a context manager."""

    def __init__(self, env: dict[str, str], workers: int = 2):
        self.env, self.workers = env, workers
        self.port = free_port()
        self.process: subprocess.Popen | None = None
        self.log_path = Path(tempfile.mkstemp(prefix="immunoref-gunicorn-", suffix=".log")[1])

    def start(self, wait: bool = True) -> "Server":
        self._log = open(self.log_path, "w")
        self.process = subprocess.Popen(
            [PYTHON, "-m", "gunicorn", "immunoref.wsgi", "--config", "gunicorn.conf.py",
             "--bind", f"127.0.0.1:{self.port}", "--workers", str(self.workers)],
            cwd=ROOT, env=self.env, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True)
        if wait:
            self.wait_until_up()
        return self

    def wait_until_up(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited:\n{self.log()}")
            try:
                self.get("/robots.txt", timeout=2)
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"gunicorn did not answer in {timeout} s:\n{self.log()}")

    def get(self, path: str, timeout: float = 30, headers: dict[str, str] | None = None) -> Response:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            connection.request("GET", path, headers={"Host": "127.0.0.1", **(headers or {})})
            answer = connection.getresponse()
            return Response(answer.status, {key.lower(): value for key, value in answer.getheaders()},
                            answer.read())
        finally:
            connection.close()

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        if getattr(self, "_log", None):
            self._log.close()
        self.log_path.unlink(missing_ok=True)

    def __enter__(self) -> "Server":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
