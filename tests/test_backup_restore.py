"""Backups as README ("Backups") documents them, restored and served.

SQLite: ``sqlite3 db.sqlite3 ".backup 'backup.sqlite3'"`` while the site serves (an online
copy, consistent even mid-write), restored by putting the file in place.  PostgreSQL:
``pg_dump --format=custom``, restored with ``pg_restore`` into a new, empty database.
Either way the restored site serves the same content version and pages.
"""

from __future__ import annotations

import shutil
import subprocess
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.contentkit import ContentFolder
from tests.serving import Database, Server, _pg, manage


@pytest.fixture
def loaded_database(tmp_path):
    database = Database("backup")
    folder = ContentFolder.minimal(tmp_path / "content")
    for command in (("migrate", "--noinput", "-v", "0"), ("loadcontent", "--content-dir", str(folder.root))):
        done = manage(database.env(), *command)
        assert done.returncode == 0, done.stderr
    yield database
    database.drop()


def _page(env):
    with Server(env, workers=1) as server:
        page = server.get("/entries/crs/")
        assert page.status == 200
        return page.headers["etag"], page.text


@pytest.mark.slow
def test_a_backup_restores_the_same_site(loaded_database, tmp_path):
    database = loaded_database
    with Server(database.env(), workers=1) as server:
        before = server.get("/entries/crs/")
        assert before.status == 200
        if database.vendor == "sqlite":
            source = urlsplit(database.url).path
            backup = tmp_path / "backup.sqlite3"
            done = subprocess.run(["sqlite3", source, f".backup '{backup}'"], capture_output=True, text=True)
            assert done.returncode == 0, done.stderr
        else:
            backup = tmp_path / "immunoref.dump"
            done = subprocess.run(["pg_dump", "--format=custom", f"--file={backup}", database.url],
                                  capture_output=True, text=True)
            assert done.returncode == 0, done.stderr
    if database.vendor == "sqlite":
        restored_folder = tmp_path / "restored"
        restored_folder.mkdir()
        shutil.copy(backup, restored_folder / "db.sqlite3")
        env = database.env(DATABASE_URL=f"sqlite:///{restored_folder / 'db.sqlite3'}")
    else:
        name = database.name + "_restored"
        with _pg(database.server, "postgres") as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        url = urlunsplit(urlsplit(database.server)._replace(path=f"/{name}"))
        try:
            done = subprocess.run(["pg_restore", "--no-owner", f"--dbname={url}", str(backup)],
                                  capture_output=True, text=True)
            assert done.returncode == 0, done.stderr
            env = database.env(DATABASE_URL=url)
            etag, text = _page(env)
        finally:
            with _pg(database.server, "postgres") as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        assert etag == before.headers["etag"] and text.count("Cytokine") == before.text.count("Cytokine")
        return
    etag, text = _page(env)
    assert etag == before.headers["etag"] and text.count("Cytokine") == before.text.count("Cytokine")
