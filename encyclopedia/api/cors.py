"""Cross-origin reading of the open API and the Infobutton entry point, and nothing else.

``Access-Control-Allow-Origin: *`` (never a reflected origin, never credentials) and
``Access-Control-Expose-Headers: ETag`` on every answer under those paths, cached ones included
(this middleware sits above the page cache); preflight requests are answered here, before any
database work.
"""

from __future__ import annotations

from django.http import HttpResponse

OPEN_PATHS = ("/api/v1/", "/infobutton/")
ALLOWED_METHODS = "GET, HEAD, OPTIONS"
ALLOWED_HEADERS = "Accept, If-None-Match, If-Modified-Since, Cache-Control"


class OpenReadingCorsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(OPEN_PATHS):
            return self.get_response(request)
        if request.method == "OPTIONS" and "HTTP_ACCESS_CONTROL_REQUEST_METHOD" in request.META:
            response = HttpResponse(status=204)
            response["Access-Control-Allow-Methods"] = ALLOWED_METHODS
            response["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
            response["Access-Control-Max-Age"] = "86400"
            response["Cache-Control"] = "public, max-age=86400"
        else:
            response = self.get_response(request)
        response["Access-Control-Allow-Origin"] = "*"
        response["Access-Control-Expose-Headers"] = "ETag"
        return response
