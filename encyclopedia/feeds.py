"""An Atom feed of the entries most recently reviewed or changed (published entries only)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

FEED_LENGTH = 30


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=dt.timezone.utc)


class RecentEntriesFeed(Feed):
    feed_type = Atom1Feed

    def title(self):
        return f"{settings.SITE_NAME}: recently reviewed or changed entries"

    def subtitle(self):
        return "Entries of the plain-language reference on immune cell infusion, newest review or change first."

    def link(self):
        return settings.BASE_URL + reverse("home")

    def feed_url(self):
        return settings.BASE_URL + reverse("feed")

    def author_name(self):
        return settings.SITE_NAME

    def items(self):
        from .models import Entry

        # Changing a file (its review date included) sets changed_at; after a first load, when
        # every entry changed at once, the review date orders them.
        return (Entry.objects.published().select_related("category")
                .only("slug", "title", "summary", "reviewed", "changed_at", "created_at", "category__title")
                .order_by("-changed_at", "-reviewed", "title")[:FEED_LENGTH])

    def item_title(self, entry):
        return entry.title

    def item_description(self, entry):
        return f"{entry.summary} (Last reviewed {entry.reviewed.day} {entry.reviewed:%B %Y}.)"

    def item_link(self, entry):
        return settings.BASE_URL + entry.get_absolute_url()

    def item_pubdate(self, entry):
        return min(entry.created_at, self.item_updateddate(entry))

    def item_updateddate(self, entry):
        """The later of the review date and the last change to the file."""
        return max(entry.changed_at, _midnight(entry.reviewed))

    def item_categories(self, entry):
        return [entry.category.title]
