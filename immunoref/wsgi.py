"""WSGI entry point (gunicorn immunoref.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "immunoref.settings")

application = get_wsgi_application()

# A missing or unmigrated database is said plainly at start-up (pages answer 503 until fixed).
from encyclopedia.readiness import report_at_startup  # noqa: E402

report_at_startup()
