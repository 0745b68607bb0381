"""No page mixes two loads: while loads of two content versions follow one another, thousands
of pages read from a real gunicorn each show exactly one version (encyclopedia/snapshot.py).

Every page has its own query string, so none comes from the page cache: each is built from
the database while loads commit.
"""

from __future__ import annotations

import itertools
import random
import subprocess
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from tests.serving import ROOT, Database, Server, manage
from tests.test_faults import TOPICS, VERSIONS, load_command, versions_in, write_version

READS = 2400
PAGES = ["/entries/", "/categories/basics/", "/categories/risks/"] + [
    f"/entries/topic-{number:03d}/" for number in range(TOPICS)]


@pytest.fixture
def database():
    database = Database("snapshot")
    yield database
    database.drop()


@pytest.mark.slow
def test_every_page_read_during_loads_shows_one_complete_content_version(database, tmp_path):
    folders = {version: write_version(tmp_path / version, version) for version in VERSIONS}
    assert manage(database.env(), "migrate", "--noinput", "-v", "0").returncode == 0
    assert manage(database.env(), "loadcontent", "--content-dir", str(folders[VERSIONS[0]])).returncode == 0
    stop = threading.Event()
    loads = []

    def keep_loading():
        for version in itertools.cycle(VERSIONS[::-1]):
            if stop.is_set():
                return
            done = subprocess.run(load_command(folders[version]), env=database.env(), cwd=ROOT,
                                  capture_output=True, text=True, timeout=300)
            assert done.returncode == 0, done.stderr
            loads.append(version)

    with Server(database.env(IMMUNOREF_PAGE_CACHE_ENTRIES="10")) as server:
        loader = threading.Thread(target=keep_loading)
        loader.start()
        counter = itertools.count()

        def read(_n):
            path = random.choice(PAGES)
            page = server.get(f"{path}?read={next(counter)}")
            assert page.status == 200, (path, page.status, page.text[:300])
            return path, versions_in(page.text)

        try:
            with ThreadPoolExecutor(8) as pool:
                seen = list(pool.map(read, range(READS)))
        finally:
            stop.set()
            loader.join()
    mixed = [(path, found) for path, found in seen if len(found) != 1]
    assert not mixed, f"{len(mixed)} of {READS} pages mixed two loads, e.g. {mixed[:3]}"
    assert len(loads) >= 2, "the loads did not overlap the reads"
    assert {found.pop() for _path, found in seen} == set(VERSIONS)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's isolation levels")
def test_a_page_reads_at_repeatable_read_and_writes_afterwards_keep_read_committed():
    from django.db import transaction

    from encyclopedia.snapshot import page_snapshot

    def level() -> str:
        with connection.cursor() as cursor:
            cursor.execute("SHOW transaction_isolation")
            return cursor.fetchone()[0]

    for _ in range(2):  # the connection is put back each time
        with page_snapshot():
            assert level() == "repeatable read"
            assert level() == "repeatable read"
        with transaction.atomic():  # a load's or a POST's own transaction
            assert level() == "read committed"
    with pytest.raises(ZeroDivisionError):
        with page_snapshot():
            assert level() == "repeatable read"
            1 / 0
    with transaction.atomic():
        assert level() == "read committed"
