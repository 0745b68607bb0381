"""Faults: loads killed at any moment, loads started together, a database that is not there.

These run real processes against a throwaway database (SQLite file, or a fresh
database on the PostgreSQL server of ``tests/with_postgres.py``) and a real gunicorn,
started as ``make run`` starts it.
"""

from __future__ import annotations

import fcntl
import os
import random
import re
import signal
import struct
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.contentkit import ContentFolder
from tests.serving import PYTHON, ROOT, Database, Server, manage

TOPICS = 80
VERSIONS = ("release-alpha", "release-bravo")
BUSY = "another content load is running"


def write_version(root: Path, version: str) -> Path:
    """A content folder where every topic entry names its version in title and text."""
    folder = ContentFolder.minimal(root)
    for number in range(TOPICS):
        folder.entry(f"topic-{number:03d}", title=f"Topic {number} {version}",
                     category="basics" if number % 2 else "risks",
                     body=f"Topic {number} as of {version} [@june2018]. "
                          f"Next: [[topic-{(number + 1) % TOPICS:03d}]].\n\n"
                          f"## Details\n\nMore about topic {number}, {version} [@hartmann2017].\n")
    folder.entry(f"only-in-{version}", title=f"Only in {version}", body=f"Only in {version} [@june2018].\n")
    return folder.root


def load_command(content_dir: Path) -> list[str]:
    return [PYTHON, str(ROOT / "manage.py"), "loadcontent", "--content-dir", str(content_dir), "-v", "0"]


def versions_in(text: str) -> set[str]:
    return set(re.findall(r"release-(?:alpha|bravo)", text))


def serving_version(server: Server) -> str:
    """The one version the site serves, checked across the index and a sample of pages."""
    index = server.get("/entries/")
    assert index.status == 200, index.text[:500]
    found = versions_in(index.text)
    assert len(found) == 1, f"the A-Z index mixes versions: {found}"
    version = found.pop()
    assert len(set(re.findall(r'href="/entries/(topic-\d{3})/"', index.text))) == TOPICS
    other = VERSIONS[1 - VERSIONS.index(version)]
    for slug in random.sample([f"topic-{n:03d}" for n in range(TOPICS)], 6):
        page = server.get(f"/entries/{slug}/")
        assert page.status == 200, (slug, page.status)
        assert versions_in(page.text) == {version}, (slug, versions_in(page.text))
    assert server.get(f"/entries/only-in-{version}/").status == 200
    assert server.get(f"/entries/only-in-{other}/").status in {404, 410}
    return version


class WriteWatch:
    """Tells when a load's write transaction is open (so a kill can land inside it).

    SQLite in WAL mode: the writer holds a lock on byte 120 of the ``-shm`` file from
    ``BEGIN IMMEDIATE`` to the end of ``COMMIT``; F_GETLK asks whether another process
    holds it.  PostgreSQL: a backend other than ours has a transaction id (it has written).
    """

    WAL_WRITE_LOCK = 120

    def __init__(self, database: Database):
        self.database = database

    def writing(self) -> bool:
        if self.database.vendor == "sqlite":
            return self._sqlite_writer()
        from tests.serving import _pg

        with _pg(self.database.server, self.database.name) as connection:
            return connection.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND "
                                      "backend_xid IS NOT NULL AND pid <> pg_backend_pid()",
                                      [self.database.name]).fetchone()[0] > 0

    def _sqlite_writer(self) -> bool:
        try:
            fd = os.open(self.database.folder / "db.sqlite3-shm", os.O_RDWR)
        except FileNotFoundError:
            return False
        try:
            query = struct.pack("hhqqi4x", fcntl.F_WRLCK, os.SEEK_SET, self.WAL_WRITE_LOCK, 1, 0)
            answer = fcntl.fcntl(fd, fcntl.F_GETLK, query)
            return struct.unpack("hhqqi4x", answer)[0] != fcntl.F_UNLCK
        finally:
            os.close(fd)


def kill_moment(load: subprocess.Popen, watch: WriteWatch, duration: float, aim_at_write: bool) -> bool:
    """Wait for the moment to kill: a random one, or one inside the write transaction.
    True when the kill is known to land inside the transaction."""
    if not aim_at_write:
        time.sleep(random.uniform(0.0, duration * 1.1))
        return False
    deadline = time.monotonic() + duration * 3
    while time.monotonic() < deadline and load.poll() is None:
        if watch.writing():
            time.sleep(random.uniform(0.0, 0.02))
            return load.poll() is None
        time.sleep(0.002)
    return False


class Poller(threading.Thread):
    """Requests pages without pause while loads run; remembers every status."""

    def __init__(self, server: Server):
        super().__init__(daemon=True)
        self.server, self.statuses, self.errors = server, [], []
        self.stopping = threading.Event()

    def run(self) -> None:
        paths = ["/", "/entries/topic-001/", "/entries/", "/search/?q=topic"]
        while not self.stopping.is_set():
            for path in paths:
                try:
                    self.statuses.append((path, self.server.get(path, timeout=30).status))
                except OSError as exc:
                    self.errors.append(f"{path}: {exc}")
                time.sleep(0.01)

    def stop(self) -> None:
        self.stopping.set()
        self.join(timeout=60)


@pytest.fixture
def database():
    database = Database("faults")
    yield database
    database.drop()


@pytest.fixture
def two_versions(tmp_path):
    return {version: write_version(tmp_path / version, version) for version in VERSIONS}


def _migrate(database: Database) -> None:
    done = manage(database.env(), "migrate", "--noinput", "-v", "0")
    assert done.returncode == 0, done.stderr


def _load(database: Database, content_dir: Path, attempts: int = 20) -> float:
    """Load to completion (waiting out a load still being torn down); its duration."""
    for _attempt in range(attempts):
        started = time.monotonic()
        done = subprocess.run(load_command(content_dir), env=database.env(), cwd=ROOT, capture_output=True,
                              text=True, timeout=300)
        if done.returncode == 0:
            return time.monotonic() - started
        assert BUSY in done.stderr, done.stderr
        time.sleep(0.5)
    raise AssertionError("the load stayed busy")


@pytest.mark.slow
def test_a_load_killed_at_any_moment_leaves_the_old_or_the_new_site_never_a_mix(database, two_versions):
    _migrate(database)
    _load(database, two_versions[VERSIONS[0]])
    with Server(database.env()) as server:
        assert serving_version(server) == VERSIONS[0]
        duration = _load(database, two_versions[VERSIONS[1]])  # how long a full reload takes, unkilled
        current = serving_version(server)
        assert current == VERSIONS[1]
        poller = Poller(server)
        poller.start()
        outcomes, mid_write, rolled_back = [], 0, 0
        try:
            for _round in range(20):
                target = VERSIONS[1 - VERSIONS.index(current)]
                watch = WriteWatch(database)
                load = subprocess.Popen(load_command(two_versions[target]), env=database.env(), cwd=ROOT,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
                # A random moment; every other round, a random moment inside the write transaction.
                inside = kill_moment(load, watch, duration, aim_at_write=bool(_round % 2))
                load.send_signal(signal.SIGKILL)
                load.wait()
                time.sleep(0.2)  # let its render workers notice and leave
                try:
                    os.killpg(load.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                stderr = load.stderr.read().decode(errors="replace")
                load.stderr.close()
                assert "Traceback" not in stderr, stderr
                current = serving_version(server)
                outcomes.append("new" if current == target else "old")
                mid_write += inside
                rolled_back += inside and current != target
        finally:
            poller.stop()
        assert not poller.errors, poller.errors[:5]
        assert poller.statuses and {status for _path, status in poller.statuses} == {200}, \
            sorted({(path, status) for path, status in poller.statuses if status != 200})
        # The site recovers fully: the next load completes and serves its version.
        target = VERSIONS[1 - VERSIONS.index(current)]
        _load(database, two_versions[target])
        assert serving_version(server) == target
    assert mid_write >= 3 and rolled_back >= 1, \
        f"{mid_write} kills inside the write transaction, {rolled_back} rolled back"
    print(f"20 kills ({mid_write} inside the write transaction, {rolled_back} rolled back): "
          f"{outcomes.count('old')} left the old site, "
          f"{outcomes.count('new')} the new; {len(poller.statuses)} requests during the loads, all 200")


@pytest.mark.slow
def test_two_loads_started_together_do_not_corrupt_anything(database, two_versions):
    _migrate(database)
    _load(database, two_versions[VERSIONS[0]])
    loads = [subprocess.Popen(load_command(two_versions[VERSIONS[1]]), env=database.env(), cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = [(load.wait(timeout=300), load.stdout.read() + load.stderr.read()) for load in loads]
    for load in loads:
        load.stdout.close()
        load.stderr.close()
    codes = sorted(code for code, _output in results)
    assert codes in ([0, 0], [0, 1]), results
    for code, output in results:
        assert "Traceback" not in output, output
        if code == 1:
            assert f"CommandError: {BUSY}; wait for it to finish and try again" in output, output
    with Server(database.env(), workers=1) as server:
        assert serving_version(server) == VERSIONS[1]


@pytest.mark.django_db(transaction=True)
def test_a_load_while_another_holds_the_lock_is_refused_clearly(content):
    from django.db import connection

    from encyclopedia.pipeline import LoadBusy, load_content, load_lock

    def second_load():
        try:
            load_content(content.root, processes=1)
        finally:
            connection.close()  # this thread's own connection

    with load_lock():
        with ThreadPoolExecutor(1) as pool:
            with pytest.raises(LoadBusy, match=BUSY):
                pool.submit(second_load).result()
    load_content(content.root, processes=1)  # released: the next load goes through


def test_an_unmigrated_database_is_named_at_start_up_and_pages_answer_503_until_it_is_ready(database, tmp_path):
    content_dir = ContentFolder.minimal(tmp_path / "content").root
    loaded = manage(database.env(), "loadcontent", "--content-dir", str(content_dir))
    assert loaded.returncode == 1
    assert loaded.stderr.strip() == "CommandError: the database is not migrated; run `python manage.py migrate` " \
                                    "(or `make run`)"
    server = Server(database.env(IMMUNOREF_CONTENT_DIR=str(content_dir)), workers=1).start()
    try:
        assert "ImmunoRef: the database is not migrated; run `python manage.py migrate`" in server.log()
        page = server.get("/entries/crs/")
        assert page.status == 503 and page.headers.get("retry-after")
        assert "not available at the moment" in page.text
        assert "migrat" not in page.text and "Traceback" not in page.text and "sqlite" not in page.text.lower()
        # Set up while the server runs: pages come up without a restart.
        _migrate(database)
        assert manage(database.env(), "loadcontent", "--content-dir", str(content_dir)).returncode == 0
        deadline = time.monotonic() + 30
        while server.get("/entries/crs/").status != 200:
            assert time.monotonic() < deadline, "the site did not come up after migrate"
            time.sleep(0.5)
        assert "Traceback" not in server.log()
    finally:
        server.stop()


def test_a_database_that_cannot_be_opened_gives_a_clear_message_not_a_500(tmp_path):
    missing = Database("missing")
    missing.drop()  # the database (or the SQLite file's folder) no longer exists
    env = missing.env()
    if missing.vendor == "sqlite":
        env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'no-such-folder' / 'db.sqlite3'}"
    loaded = manage(env, "loadcontent")
    assert loaded.returncode == 1 and loaded.stderr.startswith("CommandError: the database cannot be opened")
    assert "Traceback" not in loaded.stderr
    with Server(env, workers=1) as server:
        assert "ImmunoRef: the database cannot be opened" in server.log()
        page = server.get("/")
        assert page.status == 503 and "not available at the moment" in page.text


def test_runserver_names_a_database_that_is_not_migrated(database):
    from tests.serving import free_port

    process = subprocess.Popen([PYTHON, str(ROOT / "manage.py"), "runserver", f"127.0.0.1:{free_port()}",
                                "--noreload"], cwd=ROOT, env=database.env(), stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        lines = []
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            lines.append(line)
            if "Quit the server" in line or not line:
                break
        output = "".join(lines)
        assert "ImmunoRef: the database is not migrated; run `python manage.py migrate`" in output, output
        assert "Traceback" not in output
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=15)
        process.stdout.close()
