"""Outages, short versions (bench/outages.py runs them for 30 s): PostgreSQL, Redis and
Memcached stopped while gunicorn serves.

PostgreSQL down: pages in the shared page cache are still served (200), the others get the
503 page, never a traceback; when it is back, every page is a 200 again within seconds,
without restarting the workers.  Redis or Memcached down: every page is still a 200.
"""

from __future__ import annotations


import pytest

from tests.contentkit import ContentFolder
from tests.outage_kit import fetch, read_through_outage
from tests.serving import Server, manage
from tests.services import Memcached, Postgres, Redis

CACHED = ["/entries/crs/", "/entries/", "/"]
UNCACHED = ["/entries/overview/?n={n}"]  # a new address each time: never in the cache
OUTAGE_SECONDS = 6


def _env(database_url: str, cache_url: str, **extra) -> dict:
    import os

    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTEST")}
    env.update(DATABASE_URL=database_url, IMMUNOREF_CACHE_URL=cache_url, DJANGO_DEBUG="0", IMMUNOREF_TESTING="1",
               DJANGO_SETTINGS_MODULE="immunoref.settings", PYTHONUNBUFFERED="1", **extra)
    return env


def _prepare(env: dict, tmp_path) -> None:
    folder = ContentFolder.minimal(tmp_path / "content")
    for command in (("migrate", "--noinput", "-v", "0"), ("loadcontent", "--content-dir", str(folder.root))):
        done = manage(env, *command)
        assert done.returncode == 0, done.stderr


@pytest.mark.slow
def test_postgresql_stopped_serves_cached_pages_503_for_others_and_recovers_without_restart(tmp_path):
    with Postgres() as postgres, Redis() as redis:
        env = _env(postgres.create_database("immunoref"), redis.url)
        _prepare(env, tmp_path)
        with Server(env) as server:
            for path in CACHED:
                assert fetch(server.port, path)[0] == 200
            probe, down, up = read_through_outage(server.port, CACHED + UNCACHED, postgres, OUTAGE_SECONDS, 15)
            assert probe.tracebacks() == 0
            during = probe.between(down + 1, up)
            assert set(during) <= {200, 503}, during
            for path in CACHED:
                assert probe.between(down + 1, up, path) and set(probe.between(down + 1, up, path)) == {200}, path
            assert probe.between(down + 1, up, UNCACHED[0])[503] > 0
            recovered = probe.recovered_after(up)
            assert recovered is not None and recovered < 15, recovered  # readiness looks again every 5 s
            assert fetch(server.port, "/entries/overview/?after")[0] == 200


@pytest.mark.slow
@pytest.mark.parametrize("kind", [Redis, Memcached], ids=["redis", "memcached"])
def test_a_shared_cache_stopped_never_stops_pages(kind, tmp_path):
    from tests.serving import Database

    database = Database("outage")
    try:
        with kind() as cache:
            env = database.env(IMMUNOREF_CACHE_URL=cache.url)
            _prepare(env, tmp_path)
            with Server(env) as server:
                probe, down, up = read_through_outage(server.port, CACHED + UNCACHED, cache, OUTAGE_SECONDS, 4)
            assert set(probe.between(down, up + 4)) == {200}, probe.between(down, up + 4)
            assert probe.tracebacks() == 0
    finally:
        database.drop()
