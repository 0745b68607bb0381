"""Settings for the test suite (pyproject.toml names this module for pytest-django).

The site's settings (:mod:`immunoref.settings`, environment included: ``DATABASE_URL``
picks PostgreSQL, as ``tests/with_postgres.py`` does), with what tests need:

- static files under their plain names, served from ``static/`` without a collectstatic;
- no watcher of the content version (``encyclopedia/content_version.py``): a test's load
  runs in a transaction that is rolled back, so its announcement never arrives.  The
  tests of the watcher turn it on themselves.

Servers the tests start in a subprocess (``tests/serving.py``) use the site's settings
with ``IMMUNOREF_TESTING=1`` instead.
"""

from .settings import *  # noqa: F401,F403
from .settings import STORAGES

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
WATCH_CONTENT_VERSION = False
