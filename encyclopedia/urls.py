from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from . import views
from .feeds import RecentEntriesFeed
from .search import views as search_views
from .sitemaps import SITEMAPS, robots_txt

urlpatterns = [
    path("", views.home, name="home"),
    path("entries/", views.entry_index, name="entry-index"),
    path("entries/<slug:slug>/", views.entry_detail, name="entry-detail"),
    path("categories/<slug:key>/", views.category_detail, name="category-detail"),
    path("glossary/", views.glossary, name="glossary"),
    path("references/", views.reference_index, name="reference-index"),
    path("about/", views.about, name="about"),
    path("search/", search_views.search, name="search"),
    path("search/suggest/", search_views.search_suggest, name="search-suggest"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", robots_txt, name="robots-txt"),
    path("feed.atom", RecentEntriesFeed(), name="feed"),
    path("", include("encyclopedia.history.urls")),  # entry history: versions, comparisons, changes
]
