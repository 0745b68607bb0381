"""The project's URLs: the encyclopedia's (``encyclopedia/urls.py``) and its error pages."""

from django.urls import include, path

urlpatterns = [
    path("", include("encyclopedia.urls")),
]

handler400 = "encyclopedia.views.bad_request"
handler404 = "encyclopedia.views.not_found"
handler500 = "encyclopedia.views.server_error"
