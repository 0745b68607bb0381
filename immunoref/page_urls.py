"""The site's pages: every address except the API's.

``immunoref/urls.py`` (the root) serves these and adds the API after them, so an address
reversed here is the one the site serves.  Content loads build their links from this module
(``encyclopedia/addresses.py``) and so never import the API's library (django-ninja and
pydantic take longer to import than a reload with nothing to do).
"""

from django.urls import include, path

urlpatterns = [
    path("", include("encyclopedia.urls")),
]
