"""Reader counts from several gunicorn worker processes add up, and are written when workers exit."""

from __future__ import annotations

import http.client
from urllib.parse import urlencode

import pytest

from tests.serving import Database, Server, manage

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36"


def beacon(port: int, address: str, slug: str) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("POST", "/signals/read/", body=urlencode({"slug": slug}), headers={
            "Host": "127.0.0.1", "Content-Type": "application/x-www-form-urlencoded",
            "Sec-Fetch-Site": "same-origin", "User-Agent": BROWSER, "X-Forwarded-For": address})
        answer = connection.getresponse()
        answer.read()
        return answer.status
    finally:
        connection.close()


@pytest.mark.slow
def test_reads_from_several_workers_add_up(tmp_path):
    from tests.contentkit import ContentFolder

    content = ContentFolder.minimal(tmp_path / "content")
    database = Database("signals")
    try:
        env = database.env(IMMUNOREF_CONTENT_DIR=str(content.root), IMMUNOREF_TRUSTED_PROXIES="1")
        for command in (("migrate", "--noinput", "-v", "0"), ("loadcontent",)):
            done = manage(env, *command)
            assert done.returncode == 0, done.stderr
        with Server(env, workers=2) as server:
            statuses = [beacon(server.port, f"198.51.100.{n % 40}", "crs" if n % 4 else "overview")
                        for n in range(160)]
        assert set(statuses) == {204}
        # 40 readers (30 read crs, 10 overview), each more than once, on whichever worker answered.
        script = ("from encyclopedia.readers.models import EntryReadDay as E; "
                  "print(sorted(E.objects.values_list('slug', 'reads')))")
        shown = manage(env, "shell", "-v", "0", "-c", script)
        assert shown.stdout.strip() == "[('crs', 30), ('overview', 10)]", shown.stdout + shown.stderr
    finally:
        database.drop()
