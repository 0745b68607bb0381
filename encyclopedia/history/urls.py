from django.urls import path

from . import views
from .feeds import ChangesFeed, EntryHistoryFeed

urlpatterns = [
    path("entries/<slug:slug>/history/", views.entry_history, name="entry-history"),
    path("entries/<slug:slug>/history/feed.atom", EntryHistoryFeed(), name="entry-history-feed"),
    path("entries/<slug:slug>/v/<int:number>/", views.entry_version, name="entry-version"),
    path("entries/<slug:slug>/compare/", views.entry_compare, name="entry-compare"),
    path("changes/", views.changes, name="changes"),
    path("changes/feed.atom", ChangesFeed(), name="changes-feed"),
]
