"""The encyclopedia's URLs, each named (``encyclopedia/addresses.py`` builds entry addresses
from ``entry-detail``)."""

from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from . import listings, offline, views
from .api.views import api_documentation
from .clinical import infobutton
from .feeds import RecentEntriesFeed
from .readers import views as reader_views
from .search import views as search_views
from .sitemaps import SITEMAPS, robots_txt

urlpatterns = [
    path("", views.home, name="home"),
    path("entries/", listings.entry_index, name="entry-index"),
    path("a-z/<str:letter>/", listings.letter_index, name="letter-index"),
    path("entries/<slug:slug>/", views.entry_detail, name="entry-detail"),
    path("entries/<slug:slug>/feedback/", reader_views.entry_feedback, name="entry-feedback"),
    path("signals/read/", reader_views.read_signal, name="signal-read"),
    path("signals/no-results/", reader_views.no_results_signal, name="signal-no-results"),
    path("entries/<slug:slug>/handout/", views.entry_handout, name="entry-handout"),
    path("categories/<slug:key>/", listings.category_detail, name="category-detail"),
    path("glossary/", views.glossary, name="glossary"),
    path("references/", listings.reference_index, name="reference-index"),
    path("about/", views.about, name="about"),
    path("offline/", offline.offline_page, name="offline"),
    path("sw.js", offline.service_worker, name="service-worker"),
    path("manifest.webmanifest", offline.manifest, name="manifest"),
    path("search/", search_views.search, name="search"),
    path("search/suggest/", search_views.search_suggest, name="search-suggest"),
    path("api/v1/", api_documentation, name="api-docs"),
    path("infobutton/", infobutton.infobutton, name="infobutton"),
    path("infobutton/entries/<slug:system>/<str:code>/", infobutton.infobutton_list, name="infobutton-list"),
        path("sitemap.xml", sitemap, {"sitemaps": {**SITEMAPS, "letters": listings.LetterSitemap}}, name="sitemap"),
    path("robots.txt", robots_txt, name="robots-txt"),
    path("feed.atom", RecentEntriesFeed(), name="feed"),
    path("", include("encyclopedia.history.urls")),  # entry history: versions, comparisons, changes
]
