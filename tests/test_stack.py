"""The documented stack, for real: gunicorn with Redis or Memcached as the shared page cache,
and nginx with the shipped deploy/nginx.conf in front (tests/services.py starts them).

Short versions of the runs in bench/ (bench/stack.py): caching through each cache and
through nginx, a cache that goes away and comes back, nginx serving stored pages while the
site is down, and the headers nginx forwards.
"""

from __future__ import annotations

import http.client
import http.server
import json
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.contentkit import ContentFolder
from tests.serving import Database, Server, manage
from tests.services import Memcached, Nginx, Redis, nginx_site_config, SHIPPED_NGINX

ENTRY = "/entries/crs/"


def request(port: int, path: str, method: str = "GET", headers: dict | None = None, body: bytes | None = None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(method, path, body=body, headers={"Host": f"127.0.0.1:{port}", **(headers or {})})
        answer = connection.getresponse()
        return answer.status, {k.lower(): v for k, v in answer.getheaders()}, answer.read()
    finally:
        connection.close()


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    database = Database("stack")
    folder = ContentFolder.minimal(tmp_path_factory.mktemp("stack") / "content")
    for number in range(12):
        folder.entry(f"extra-{number}", title=f"Extra entry {number}", body=f"Extra {number} [@june2018].\n")
    for command in (("migrate", "--noinput", "-v", "0"), ("loadcontent", "--content-dir", str(folder.root))):
        done = manage(database.env(), *command)
        assert done.returncode == 0, done.stderr
    database.content = folder
    yield database
    database.drop()


@pytest.fixture(scope="module")
def redis():
    with Redis() as server:
        yield server


@pytest.fixture(scope="module")
def memcached():
    with Memcached() as server:
        yield server


def keys_in_redis(redis: Redis) -> int:
    import redis as client

    return client.Redis.from_url(redis.url).dbsize()


def items_in_memcached(memcached: Memcached) -> int:
    from pymemcache.client.base import Client

    stats = Client(("127.0.0.1", memcached.port)).stats()
    return int(stats[b"curr_items"])


@pytest.fixture(params=["redis", "memcached"])
def shared_cache(request):
    return request.getfixturevalue(request.param)


def _count(cache) -> int:
    return keys_in_redis(cache) if isinstance(cache, Redis) else items_in_memcached(cache)


@pytest.mark.slow
def test_a_shared_cache_serves_pages_goes_away_and_is_used_again_without_a_restart(database, shared_cache):
    with Server(database.env(IMMUNOREF_CACHE_URL=shared_cache.url), workers=1) as server:
        assert "cannot be reached" not in server.log()
        status, headers, first = request(server.port, ENTRY)
        assert status == 200 and headers["cache-control"].startswith("public")
        before = _count(shared_cache)
        assert before >= 1, "the page was not stored in the shared cache"
        status, headers, again = request(server.port, ENTRY)
        assert (status, again) == (200, first)
        status, _h, _b = request(server.port, ENTRY, headers={"If-None-Match": headers["etag"]})
        assert status == 304

        shared_cache.pause()  # the cache server stops
        for path in (ENTRY, "/entries/extra-1/", "/entries/", ENTRY):
            status, _h, body = request(server.port, path)
            assert status == 200, (path, status)
        assert "page cache is unavailable" in server.log()

        shared_cache.start()  # back, on the same port, empty
        deadline = time.monotonic() + 15
        while _count(shared_cache) == 0 and time.monotonic() < deadline:
            request(server.port, "/entries/extra-2/")
            time.sleep(0.3)
        assert _count(shared_cache) >= 1, "the returned cache was not used again"
        assert "answers again" in server.log()


@pytest.mark.slow
def test_an_unreachable_shared_cache_is_said_in_one_line_at_start_up(database):
    with Redis() as gone:
        url = gone.url
    with Server(database.env(IMMUNOREF_CACHE_URL=url), workers=1) as server:
        status, _h, _b = request(server.port, ENTRY)
        assert status == 200
        lines = [line for line in server.log().splitlines() if "cannot be reached" in line]
        assert lines and lines[0].startswith("ImmunoRef: the page cache at redis://127.0.0.1:")
    done = manage(database.env(IMMUNOREF_CACHE_URL=url), "checkdatabase")
    assert done.returncode == 0 and "the page cache at redis://" in done.stderr


def test_a_cache_address_that_is_neither_redis_nor_memcached_is_refused_in_one_line(database):
    done = manage(database.env(IMMUNOREF_CACHE_URL="mysql://nowhere"), "checkdatabase")
    assert done.returncode != 0
    assert done.stderr.strip().splitlines() == [
        "ImmunoRef: IMMUNOREF_CACHE_URL must start with redis://, rediss:// or memcached:// (it is 'mysql://nowhere')."]


# nginx ------------------------------------------------------------------------------------

def test_the_shipped_nginx_file_keeps_tls_and_the_test_changes_only_ports_paths_and_tls(tmp_path):
    shipped = SHIPPED_NGINX.read_text()
    assert "listen 443 ssl" in shipped and "ssl_certificate " in shipped
    adapted = nginx_site_config(8123, "127.0.0.1:9", tmp_path)
    kept = [line for line in shipped.splitlines() if "ssl" not in line and "443" not in line
            and "/var/" not in line and "server 127.0.0.1:8000" not in line]
    redirect_server = shipped[shipped.index("server {\n    listen 80;"):].split("\n}\n", 1)[0]
    for line in kept:
        if line.strip() and line not in redirect_server:
            assert line in adapted, line
    with Nginx(upstream="127.0.0.1:9") as nginx:
        checked = nginx.check()
        assert checked.returncode == 0, checked.stderr


class _Upstream(http.server.BaseHTTPRequestHandler):
    """A stand-in site: /echo answers the headers it got (not cacheable); /page/… is a public page
    with an ETag, built slowly, which nginx may keep one second; every request is recorded."""

    seen: list[dict] = []
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        headers = {k.lower(): v for k, v in self.headers.items()}
        type(self).seen.append({"path": self.path, **headers})
        if self.path == "/private":
            self._answer(200, b"mine", {"Cache-Control": "private, max-age=60", "ETag": '"p1"'})
        elif self.path.startswith("/echo"):
            self._answer(200, json.dumps(headers).encode(), {"Cache-Control": "no-store"})
        elif headers.get("if-none-match") == '"v1"':
            self._answer(304, b"", {"ETag": '"v1"', "X-Accel-Expires": "1", "Cache-Control": "public, max-age=0"})
        else:
            time.sleep(0.5)
            self._answer(200, b"page", {"ETag": '"v1"', "X-Accel-Expires": "1", "Cache-Control": "public, max-age=0"})

    def _answer(self, status, body, headers):
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def stand_in():
    upstream = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Upstream)
    threading.Thread(target=upstream.serve_forever, daemon=True).start()
    try:
        with Nginx(upstream=f"127.0.0.1:{upstream.server_address[1]}") as nginx:
            yield nginx, _Upstream.seen
    finally:
        upstream.shutdown()


def test_nginx_forwards_host_with_its_port_and_the_client_address(stand_in):
    nginx, _seen = stand_in
    status, _h, body = request(nginx.port, "/echo", headers={"X-Forwarded-For": "203.0.113.9"})
    seen = json.loads(body)
    assert status == 200
    assert seen["host"] == f"127.0.0.1:{nginx.port}"
    assert seen["x-forwarded-for"] == "203.0.113.9, 127.0.0.1"
    assert seen["x-forwarded-proto"] == "http"
    for _ in range(2):  # the stand-in says no-store: never kept
        assert request(nginx.port, "/echo")[1].get("x-cache") == "MISS"


def test_nginx_never_stores_a_private_page(stand_in):
    nginx, seen = stand_in
    before = len([r for r in seen if r["path"] == "/private"])
    for _ in range(3):
        status, headers, _b = request(nginx.port, "/private")
        assert status == 200 and headers.get("x-cache") == "MISS"
    assert len([r for r in seen if r["path"] == "/private"]) == before + 3


def test_nginx_sends_one_request_for_many_readers_and_revalidates_with_if_none_match(stand_in):
    nginx, seen = stand_in
    with ThreadPoolExecutor(20) as pool:
        answers = list(pool.map(lambda _n: request(nginx.port, "/page/collapsed"), range(20)))
    assert {(status, body) for status, _h, body in answers} == {(200, b"page")}
    asked = [r for r in seen if r["path"] == "/page/collapsed"]
    assert len(asked) == 1, f"{len(asked)} requests upstream for 20 readers of one missing page"
    time.sleep(2.2)  # past X-Accel-Expires: 1
    for _ in range(3):
        assert request(nginx.port, "/page/collapsed")[0] == 200
        time.sleep(0.3)
    revalidations = [r for r in seen if r["path"] == "/page/collapsed" and r.get("if-none-match") == '"v1"']
    assert revalidations, "nginx did not revalidate the expired page with If-None-Match"


@pytest.fixture(scope="module")
def site_behind_nginx(database, redis):
    env = database.env(IMMUNOREF_CACHE_URL=redis.url, IMMUNOREF_PROXY_MAX_AGE="2",
                       DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost")
    with Server(env, workers=1) as server, Nginx(upstream=f"127.0.0.1:{server.port}") as nginx:
        yield server, nginx


def x_cache(port, path, **kwargs):
    status, headers, body = request(port, path, **kwargs)
    return status, headers.get("x-cache"), headers, body


@pytest.mark.slow
def test_nginx_stores_pages_and_revalidates_them_with_a_304(site_behind_nginx):
    server, nginx = site_behind_nginx
    path = "/entries/extra-3/"
    assert x_cache(nginx.port, path)[1] == "MISS"
    status, cached, headers, body = x_cache(nginx.port, path)
    assert (status, cached) == (200, "HIT")
    assert "x-accel-expires" not in headers  # read by nginx only
    assert headers["cache-control"].startswith("public, max-age=0, s-maxage=")
    assert x_cache(nginx.port, path, headers={"If-None-Match": headers["etag"]})[0] == 304
    time.sleep(3)  # past nginx's own freshness (IMMUNOREF_PROXY_MAX_AGE=2)
    outcomes = {x_cache(nginx.port, path)[1] for _ in range(3)}
    assert outcomes & {"REVALIDATED", "UPDATING", "STALE", "EXPIRED"}, outcomes


@pytest.mark.slow
def test_nginx_keys_pages_on_the_address_without_tracking_parameters(site_behind_nginx):
    _server, nginx = site_behind_nginx
    base = "/entries/extra-4/?view=full"
    assert x_cache(nginx.port, base)[1] == "MISS"
    assert x_cache(nginx.port, base + "&utm_source=news&utm_medium=mail&fbclid=x1")[1] == "HIT"
    assert x_cache(nginx.port, "/entries/extra-4/?utm_campaign=a&view=full")[1] == "HIT"
    assert x_cache(nginx.port, "/entries/extra-4/?view=short")[1] == "MISS"  # other parameters stay in the key
    assert x_cache(nginx.port, "/entries/extra-6/")[1] == "MISS"
    assert x_cache(nginx.port, "/entries/extra-6/?utm_source=a&gclid=b")[1] == "HIT"


@pytest.mark.slow
def test_nginx_never_stores_errors_or_post(site_behind_nginx):
    _server, nginx = site_behind_nginx
    for _ in range(2):
        status, cached, headers, _b = x_cache(nginx.port, "/entries/no-such-entry/")
        assert status == 404 and cached == "MISS" and "no-cache" in headers["cache-control"]
    for _ in range(2):
        status, cached, _h, _b = x_cache(nginx.port, "/entries/extra-5/", method="POST", body=b"x=1",
                                         headers={"Content-Type": "application/x-www-form-urlencoded"})
        assert status in (403, 405) and cached in (None, "MISS", "BYPASS")


@pytest.mark.slow
def test_nginx_serves_stored_pages_while_the_site_is_down(database, redis):
    env = database.env(IMMUNOREF_CACHE_URL=redis.url, IMMUNOREF_PROXY_MAX_AGE="1")
    server = Server(env, workers=1).start()
    try:
        with Nginx(upstream=f"127.0.0.1:{server.port}") as nginx:
            status, _c, _h, page = x_cache(nginx.port, "/entries/extra-6/")
            assert status == 200
            server.stop()
            time.sleep(1.5)
            status, cached, _h, stale = x_cache(nginx.port, "/entries/extra-6/")
            assert (status, cached, stale) == (200, "STALE", page)
            status, _c, _h, _b = x_cache(nginx.port, "/entries/extra-7/")
            assert status == 502  # never stored: nginx has nothing to give
    finally:
        server.stop()



@pytest.mark.slow
def test_make_stack_serves_through_nginx_and_ctrl_c_leaves_nothing_running(database):
    import signal
    import socket
    import subprocess

    from tests.serving import PYTHON, ROOT
    from tests.services import free_port

    port = free_port()
    stack = subprocess.Popen([PYTHON, str(ROOT / "deploy" / "stack.py"), "--port", str(port), "--workers", "1"],
                             cwd=ROOT, env=database.env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             text=True)
    try:
        banner = ""
        while "ImmunoRef stack on" not in banner and stack.poll() is None:
            banner = stack.stdout.readline()
        assert f"ImmunoRef stack on http://127.0.0.1:{port}/" in banner, banner
        status, headers, body = request(port, ENTRY)
        assert status == 200 and headers["x-cache"] == "MISS"
        assert f'href="http://127.0.0.1:{port}/entries/crs/"' in body.decode()  # the canonical link
        assert request(port, ENTRY)[1]["x-cache"] == "HIT"
        upstream = re.search(r"gunicorn 127\.0\.0\.1:(\d+)", banner).group(1)
        redis_port = re.search(r"redis://127\.0\.0\.1:(\d+)", banner).group(1)
    finally:
        stack.send_signal(signal.SIGINT)
        assert stack.wait(timeout=60) == 0, stack.stdout.read()
    for left in (port, int(upstream), int(redis_port)):
        with socket.socket() as sock:
            assert sock.connect_ex(("127.0.0.1", left)) != 0, f"something still listens on {left}"
