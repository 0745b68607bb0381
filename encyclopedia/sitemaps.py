"""What crawlers read: /sitemap.xml (published entries only) and /robots.txt."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Max, Q
from django.http import HttpResponse
from django.urls import reverse

from .models import Category, Entry


class PublicSitemap(Sitemap):
    """Addresses start with IMMUNOREF_BASE_URL, not with whatever host the request named."""

    def get_protocol(self, protocol=None):
        return urlsplit(settings.BASE_URL).scheme or "https"

    def get_domain(self, site=None):
        parts = urlsplit(settings.BASE_URL)
        return parts.netloc + parts.path.rstrip("/")


class EntrySitemap(PublicSitemap):
    changefreq = "monthly"
    priority = 0.8

    def items(self):
        return Entry.objects.published().only("slug", "reviewed").order_by("slug")

    def lastmod(self, entry):
        return entry.reviewed


class CategorySitemap(PublicSitemap):
    changefreq = "monthly"
    priority = 0.5

    def items(self):
        published = Q(entries__draft=False)
        return (Category.objects.filter(published).annotate(last_reviewed=Max("entries__reviewed", filter=published))
                .order_by("order", "key").distinct())

    def lastmod(self, category):
        return category.last_reviewed


class PageSitemap(PublicSitemap):
    """The pages that are not entries: home, A–Z, glossary, sources, about."""

    changefreq = "weekly"
    priority = 0.5
    pages = ["home", "entry-index", "glossary", "reference-index", "about"]

    def items(self):
        return self.pages

    def location(self, name):
        return reverse(name)


SITEMAPS = {"entries": EntrySitemap, "categories": CategorySitemap, "pages": PageSitemap}


def robots_txt(request):
    lines = [
        "User-agent: *",
        f"Disallow: {reverse('search')}",
        "",
        f"Sitemap: {settings.BASE_URL}{reverse('sitemap')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
