from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("entries/", views.entry_index, name="entry-index"),
    path("entries/<slug:slug>/", views.entry_detail, name="entry-detail"),
    path("categories/<slug:key>/", views.category_detail, name="category-detail"),
    path("glossary/", views.glossary, name="glossary"),
    path("references/", views.reference_index, name="reference-index"),
    path("about/", views.about, name="about"),
    path("search/", views.search, name="search"),
    path("search/suggest/", views.search_suggest, name="search-suggest"),
]
