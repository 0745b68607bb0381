"""The project's URLs: the pages (``immunoref/page_urls.py``), then the open API, and the error pages."""

from django.urls import path

from encyclopedia.api.endpoints import api

from .page_urls import urlpatterns as page_patterns

urlpatterns = [
    *page_patterns,  # first: the API's documentation page at /api/v1/ is one of them
    path("api/v1/", api.urls),
]

handler400 = "encyclopedia.views.bad_request"
handler404 = "encyclopedia.views.not_found"
handler500 = "encyclopedia.views.server_error"
