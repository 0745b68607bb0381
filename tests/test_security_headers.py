"""Every response carries headers to the standard of Mozilla's HTTP Observatory at A+,
and production settings pass Django's deployment checklist."""

from __future__ import annotations

import os
import subprocess

import pytest
from django.conf import settings

from tests.serving import PYTHON, ROOT, Database, Server, manage

EXPECTED_POLICY = {
    "default-src": ["'none'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
    "base-uri": ["'none'"],
    "object-src": ["'none'"],
}
# Directives the A+ policy does not name, allowed only when as strict as 'self'.
EXTRA_DIRECTIVES_ALLOWED = {"manifest-src": ["'self'"], "worker-src": ["'self'"]}


def parse_policy(header: str) -> dict[str, list[str]]:
    policy = {}
    for directive in filter(None, (part.strip() for part in header.split(";"))):
        name, *values = directive.split()
        assert name not in policy, f"{name} given twice"
        policy[name] = values
    return policy


def header_faults(url: str, headers) -> list[str]:
    """What is missing or wrong in one response's headers (``headers`` maps lowercase names)."""
    faults = []
    policy_header = headers.get("content-security-policy")
    if not policy_header:
        return [f"{url}: no Content-Security-Policy"]
    policy = parse_policy(policy_header)
    for name, values in EXPECTED_POLICY.items():
        if policy.get(name) != values:
            faults.append(f"{url}: CSP {name} is {policy.get(name)}, want {values}")
    for name, values in policy.items():
        if name not in EXPECTED_POLICY and EXTRA_DIRECTIVES_ALLOWED.get(name) != values:
            faults.append(f"{url}: unexpected CSP directive {name} {values}")
    lowered = policy_header.lower()
    for weak in ("unsafe-inline", "unsafe-eval", "unsafe-hashes", "nonce-", "data:", "*", "http:"):
        if weak in lowered:
            faults.append(f"{url}: CSP allows {weak}")
    wanted = {
        "x-content-type-options": "nosniff",
        "referrer-policy": "strict-origin-when-cross-origin",
        "cross-origin-opener-policy": "same-origin",
        "x-frame-options": "DENY",
    }
    for name, value in wanted.items():
        if headers.get(name) != value:
            faults.append(f"{url}: {name} is {headers.get(name)!r}, want {value!r}")
    if headers.get("access-control-allow-origin"):
        faults.append(f"{url}: Access-Control-Allow-Origin {headers.get('access-control-allow-origin')}")
    if "set-cookie" in headers:
        faults.append(f"{url}: sets a cookie")
    server = headers.get("server", "")
    if any(char.isdigit() for char in server):
        faults.append(f"{url}: the Server header gives a version: {server}")
    return faults


def _lowered(response) -> dict[str, str]:
    return {name.lower(): value for name, value in response.items()}


@pytest.fixture
def site(content, load):
    content.entry("temporary", title="A temporary entry", body="Soon removed [@june2018].\n")
    load(content)
    return content


@pytest.mark.django_db
def test_every_kind_of_response_carries_the_security_headers(site, client, settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    urls = {
        "/": 200, "/entries/": 200, "/entries/crs/": 200, "/categories/risks/": 200, "/glossary/": 200,
        "/references/": 200, "/about/": 200, "/search/?q=fever": 200, "/search/suggest/?q=cy": 200,
        "/robots.txt": 200, "/sitemap.xml": 200, "/feed.atom": 200, "/no/such/page/": 404,
        "/entries/no-such-entry/": 404,
    }
    faults = []
    for url, status in urls.items():
        response = client.get(url)
        assert response.status_code == status, url
        faults += header_faults(url, _lowered(response))
    site.remove("temporary.md")
    from encyclopedia.pipeline import load_content

    load_content(site.root, processes=1)
    gone = client.get("/entries/temporary/")
    assert gone.status_code == 410
    faults += header_faults("/entries/temporary/ (gone)", _lowered(gone))
    bad_host = client.get("/", HTTP_HOST="evil.example")
    assert bad_host.status_code == 400
    faults += header_faults("bad host", _lowered(bad_host))
    assert not faults, "\n".join(faults)


def test_the_policy_is_the_a_plus_one_and_static_files_get_it_too():
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    for name, values in EXPECTED_POLICY.items():
        assert list(directives[name]) == values
    middleware = settings.MIDDLEWARE
    # The policy wraps WhiteNoise, which answers static files before the middleware after it.
    assert middleware.index("csp.middleware.CSPMiddleware") < middleware.index(
        "whitenoise.middleware.WhiteNoiseMiddleware")
    assert middleware.index("django.middleware.security.SecurityMiddleware") < middleware.index(
        "whitenoise.middleware.WhiteNoiseMiddleware")


def _check_deploy(**env: str) -> subprocess.CompletedProcess:
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "PYTEST"))}
    environment.update(env)
    return subprocess.run([PYTHON, str(ROOT / "manage.py"), "check", "--deploy", "--fail-level", "WARNING"],
                          cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120)


def test_production_settings_pass_the_deployment_checklist_behind_a_tls_proxy():
    done = _check_deploy(DJANGO_DEBUG="0", DJANGO_HTTPS="1", IMMUNOREF_BASE_URL="https://immunoref.example")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues" in done.stdout


def test_without_a_tls_proxy_the_checklist_names_only_the_https_settings():
    # Plain HTTP on loopback (make run) must keep working: no redirect to https, no secure-only cookies.
    done = _check_deploy(DJANGO_DEBUG="0")
    found = set(code for code in ("W004", "W008", "W012", "W016") if code in done.stderr + done.stdout)
    assert found <= {"W004", "W008", "W012", "W016"} and "W004" in found and "W008" in found
    for code in ("W001", "W002", "W003", "W009", "W018", "W019", "W020"):
        assert code not in done.stderr + done.stdout, code


@pytest.fixture(scope="module")
def served_site(tmp_path_factory):
    """The shipped content served by gunicorn as `make run` serves it, on a throwaway database."""
    database = Database("headers")
    try:
        env = database.env()
        assert manage(env, "migrate", "--noinput", "-v", "0").returncode == 0
        from tests.contentkit import ContentFolder

        folder = ContentFolder.minimal(tmp_path_factory.mktemp("served") / "content")
        done = manage(env, "loadcontent", "--content-dir", str(folder.root), "-v", "0")
        assert done.returncode == 0, done.stderr
        with Server(env, workers=1) as server:
            yield server
    finally:
        database.drop()


def test_gunicorn_responses_carry_the_headers_and_no_server_version(served_site):
    faults = []
    for url, status in {"/": 200, "/entries/crs/": 200, "/search/?q=crs": 200, "/missing/": 404}.items():
        response = served_site.get(url)
        assert response.status == status, url
        faults += header_faults(url, response.headers)
    assert not faults, "\n".join(faults)
    assert served_site.get("/").headers.get("server", "gunicorn") == "gunicorn"


def test_plain_http_on_loopback_is_served_without_a_redirect(served_site):
    response = served_site.get("/")
    assert response.status == 200
    assert "strict-transport-security" not in response.headers
