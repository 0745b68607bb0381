"""ImmunoRef settings: one module, driven by environment variables.

Environment:
- ``DATABASE_URL``: default SQLite file ``db.sqlite3`` in the project folder;
  ``postgres://user:password@host:port/name`` switches to PostgreSQL (psycopg 3).
- ``DJANGO_DEBUG``: ``1`` turns DEBUG on (default off).
- ``DJANGO_SECRET_KEY``: default a key generated once into ``.secret_key`` (git-ignored).
- ``DJANGO_ALLOWED_HOSTS``: comma-separated; default the loopback names.
- ``DJANGO_HTTPS``: ``1`` when a TLS-terminating proxy is in front (HSTS, secure cookies,
  SSL redirect, trusted ``X-Forwarded-Proto``).
- ``IMMUNOREF_CONTENT_DIR``: the content folder (default ``content/``).
- ``IMMUNOREF_BASE_URL``: the public origin, for canonical URLs, sitemaps and feeds.
- ``IMMUNOREF_CACHE_URL``: a shared cache for rendered pages (``redis://…``,
  ``memcached://…``); default local memory.
- ``IMMUNOREF_TESTING``: ``1`` serves static files under their plain names, without a
  collectstatic (servers started by the tests and benchmarks).

The test suite runs with :mod:`immunoref.settings_test`, which starts from these.
"""

from __future__ import annotations

import os
import re
import secrets
import sys
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent


def env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name, "")
    items = [item.strip() for item in value.split(",") if item.strip()]
    return items or default


def _generated_secret_key() -> str:
    """Read the project's generated key, creating it on first use."""
    path = BASE_DIR / ".secret_key"
    try:
        return path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        pass
    key = secrets.token_urlsafe(50)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process won the race: use its key
        return path.read_text(encoding="ascii").strip()
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(key + "\n")
    return key


DEBUG = env_flag("DJANGO_DEBUG")
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or _generated_secret_key()
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
HTTPS = env_flag("DJANGO_HTTPS")

CONTENT_DIR = Path(os.environ.get("IMMUNOREF_CONTENT_DIR") or BASE_DIR / "content").resolve()
BASE_URL = (os.environ.get("IMMUNOREF_BASE_URL") or "http://127.0.0.1:8000").rstrip("/")
if HTTPS and not os.environ.get("IMMUNOREF_BASE_URL"):
    sys.exit("ImmunoRef: DJANGO_HTTPS=1 needs IMMUNOREF_BASE_URL (the public https:// origin, for canonical "
             "links, the sitemap and the feed).")
SITE_NAME = "ImmunoRef"
REVIEW_INTERVAL_MONTHS = int(os.environ.get("IMMUNOREF_REVIEW_MONTHS", "12"))
# Rendering limits per entry (encyclopedia/workers.py): CPU seconds, and a wall-clock backstop.
RENDER_CPU_SECONDS = float(os.environ.get("IMMUNOREF_RENDER_CPU_SECONDS", "2"))
RENDER_WALL_SECONDS = float(os.environ.get("IMMUNOREF_RENDER_WALL_SECONDS", "30"))

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "encyclopedia",  # before staticfiles, so its runserver (staticfiles' own plus a database check) is used
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
]

MIDDLEWARE = [
    "encyclopedia.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # The policy and frame headers wrap WhiteNoise and CommonMiddleware, so static files and
    # the 400 for an unknown host carry them too.
    "csp.middleware.CSPMiddleware",
    "encyclopedia.api.cors.OpenReadingCorsMiddleware",  # /api/v1/ and /infobutton/: readable from any origin
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "encyclopedia.readiness.DatabaseReadyMiddleware",  # 503 while the database cannot serve pages
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",  # no forms post today; it sets no cookie unless one does
    "encyclopedia.middleware.ContentReloadMiddleware",
    "encyclopedia.caching.PageCacheMiddleware",  # ETag/304, page cache, Cache-Control
    "encyclopedia.snapshot.ReadSnapshotMiddleware",  # last: a page view reads one snapshot
]

ROOT_URLCONF = "immunoref.urls"
WSGI_APPLICATION = "immunoref.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "encyclopedia.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=None,  # persistent connections: pages are one or two queries
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # A read-mostly site: WAL lets pages be served while a load writes.
        "init_command": (
            "PRAGMA journal_mode=WAL;"
            "PRAGMA synchronous=NORMAL;"
            "PRAGMA mmap_size=268435456;"
            "PRAGMA cache_size=-32000;"
            "PRAGMA temp_store=MEMORY;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
    }
    # Page views read through a second, read-only connection to the same file, in a deferred
    # transaction: one snapshot per page, never queued behind a load (encyclopedia/snapshot.py).
    DATABASES["pages"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}, "OPTIONS": {
        **DATABASES["default"]["OPTIONS"], "transaction_mode": "DEFERRED",
        # Reads go through the memory map; a smaller page cache keeps the second connection cheap.
        "init_command": DATABASES["default"]["OPTIONS"]["init_command"] + "PRAGMA query_only=1;PRAGMA cache_size=-4000;"}}
    DATABASE_ROUTERS = ["encyclopedia.snapshot.SnapshotRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

_cache_url = os.environ.get("IMMUNOREF_CACHE_URL", "")
# The shared cache's address as logs show it (no password); short timeouts, so a cache
# that is down costs a reader half a second at most, once (encyclopedia/page_store.py).
PAGE_CACHE_URL = re.sub(r"//[^@/]*@", "//", _cache_url)
if _cache_url.startswith(("redis://", "rediss://")):
    _cache_backend = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _cache_url,
                      "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}}
elif _cache_url.startswith("memcached://"):
    _cache_backend = {
        "BACKEND": "django.core.cache.backends.memcached.PyMemcacheCache",
        "LOCATION": _cache_url.removeprefix("memcached://"),
        # A server marked dead is asked again after 2 s (pymemcache's default: 60 s).
        "OPTIONS": {"connect_timeout": 0.5, "timeout": 0.5, "retry_attempts": 1, "retry_timeout": 0,
                    "dead_timeout": 2, "ignore_exc": False},
    }
elif _cache_url:
    sys.exit(f"ImmunoRef: IMMUNOREF_CACHE_URL must start with redis://, rediss:// or memcached:// "
             f"(it is {PAGE_CACHE_URL!r}).")
else:
    _cache_backend = {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "immunoref-pages",
        # Per worker process: ~1,000 pages of 20-60 KB keep a worker under 100 MB RSS.
        "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("IMMUNOREF_PAGE_CACHE_ENTRIES", "1000"))},
    }
CACHES = {"default": _cache_backend}
SHARED_CACHE = bool(_cache_url)  # reader signals keep the day's salt and marks there (else in a table)
PAGE_CACHE_SECONDS = int(os.environ.get("IMMUNOREF_PAGE_CACHE_SECONDS", "600"))
CDN_MAX_AGE = int(os.environ.get("IMMUNOREF_CDN_MAX_AGE", "300"))
# Seconds nginx (deploy/nginx.conf) keeps a page before revalidating it (X-Accel-Expires).
PROXY_MAX_AGE = int(os.environ.get("IMMUNOREF_PROXY_MAX_AGE", "10"))
# Seconds a worker may reuse the content version it read (0: read it for every page).
CONTENT_VERSION_SECONDS = float(os.environ.get("IMMUNOREF_VERSION_SECONDS", "0"))
# PostgreSQL: each worker LISTENs for the version a load announces, instead of reading it
# for every page (encyclopedia/content_version.py).  Off in the test settings, whose loads never commit.
WATCH_CONTENT_VERSION = env_flag("IMMUNOREF_WATCH_VERSION", True)

# Reader signals (encyclopedia/readers/): proxies that append to X-Forwarded-For in front of the
# site (0: use REMOTE_ADDR), and how the home page's "Most read" list and feedback are kept.
TRUSTED_PROXIES = int(os.environ.get("IMMUNOREF_TRUSTED_PROXIES", "0"))
MOST_READ_MINUTES = int(os.environ.get("IMMUNOREF_MOST_READ_MINUTES", "60"))
MOST_READ_MIN = int(os.environ.get("IMMUNOREF_MOST_READ_MIN", "10"))
FEEDBACK_DAYS = int(os.environ.get("IMMUNOREF_FEEDBACK_DAYS", "180"))
FEEDBACK_PER_READER = int(os.environ.get("IMMUNOREF_FEEDBACK_PER_READER", "10"))
FEEDBACK_PER_ADDRESS = int(os.environ.get("IMMUNOREF_FEEDBACK_PER_ADDRESS", "40"))
FEEDBACK_TEXTS_PER_ENTRY = int(os.environ.get("IMMUNOREF_FEEDBACK_TEXTS_PER_ENTRY", "200"))
QUERY_MIN_READERS = int(os.environ.get("IMMUNOREF_QUERY_MIN_READERS", "3"))

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
# Hashed, compressed files in production; plain names under DEBUG and in tests (the test
# server serves straight from static/, before any collectstatic).
TESTING = env_flag("IMMUNOREF_TESTING")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_MAX_AGE = 3600

# Security headers on every response.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 63072000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'none'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "manifest-src": ["'self'"],
        "worker-src": ["'self'"],  # the offline reading worker, /sw.js
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "encyclopedia.middleware.RequestIdLogFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["request_id"]},
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        # Django's request logger names the path; never the client's address.
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
    },
}
