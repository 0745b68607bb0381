"""Atom feeds of versions: recent changes across the encyclopedia, and one entry's history."""

from __future__ import annotations

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

FEED_LENGTH = 50


def _description(version) -> str:
    notes = "; ".join(note for _day, note in version.notes or ())
    if version.withdrawn_at:
        return f"Version {version.number} was withdrawn: {version.withdrawn_reason}"
    if version.number == 1:
        return notes or "First version recorded."
    return notes or "Changes without an editor's note."


class _VersionFeed(Feed):
    feed_type = Atom1Feed

    def author_name(self):
        return settings.SITE_NAME

    def item_title(self, version):
        return f"{version.title}: version {version.number}"

    def item_description(self, version):
        return _description(version)

    def item_link(self, version):
        slug = version.history.slug
        if version.number > 1 and not version.withdrawn_at:
            return settings.BASE_URL + reverse("entry-compare", args=[slug]) + f"?from={version.number - 1}&to={version.number}"
        return settings.BASE_URL + version.url_for(slug)

    def item_guid(self, version):
        return settings.BASE_URL + version.url_for(version.history.slug)

    item_guid_is_permalink = True

    def item_pubdate(self, version):
        return version.loaded_at

    def item_updateddate(self, version):
        return version.withdrawn_at or version.loaded_at


class ChangesFeed(_VersionFeed):
    def title(self):
        return f"{settings.SITE_NAME}: what changed"

    def subtitle(self):
        return "Every new version of an entry, newest first, with the editors' notes."

    def link(self):
        return settings.BASE_URL + reverse("changes")

    def feed_url(self):
        return settings.BASE_URL + reverse("changes-feed")

    def items(self):
        from .views import recent_versions

        return recent_versions()[:FEED_LENGTH]


class EntryHistoryFeed(_VersionFeed):
    def get_object(self, request, slug):
        from .views import find_history

        history, _moved = find_history(slug)
        if history is None:
            raise Http404(f"No history for {slug}")
        return history

    def title(self, history):
        return f"{settings.SITE_NAME}: changes to “{history.title}”"

    def subtitle(self, history):
        return "Every version of this entry, newest first, with the editors' notes."

    def link(self, history):
        return settings.BASE_URL + reverse("entry-history", args=[history.slug])

    def feed_url(self, history):
        return settings.BASE_URL + reverse("entry-history-feed", args=[history.slug])

    def items(self, history):
        return history.versions.select_related("history").order_by("-number")[:FEED_LENGTH]
