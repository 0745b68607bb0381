"""Where an entry's page lives: the one place its address is built.

:func:`entry_url` gives one entry's address (``Entry.get_absolute_url``, the pages'
``entry_url`` template filter, search results); :func:`entry_url_maker` gives the same
for thousands of slugs at once (a load's link targets), with one ``reverse()`` and then
string joins.  :func:`slug_url_maker` is that for any URL named with a single slug.
"""

from __future__ import annotations

import re
from typing import Callable

from django.urls import reverse
from django.urls.converters import SlugConverter

ENTRY_URL_NAME = "entry-detail"
PAGES_URLCONF = "immunoref.page_urls"  # every page's address, without importing the API
_SLUG = re.compile(SlugConverter.regex)  # what the URL accepts and never quotes
_MARKER = "slug-marker-0"


def page_url(name: str, args=()) -> str:
    """``reverse()`` of a page's URL name (any address but the API's)."""
    return reverse(name, args=args, urlconf=PAGES_URLCONF)


def entry_url(slug: str) -> str:
    return page_url(ENTRY_URL_NAME, [slug])


def slug_url_maker(name: str) -> Callable[[str], str]:
    """``reverse(name, args=[slug])`` for many slugs: one reverse, then string joins."""
    prefix, _, suffix = page_url(name, [_MARKER]).partition(_MARKER)
    return lambda slug: prefix + slug + suffix if _SLUG.fullmatch(slug) else page_url(name, [slug])


def entry_url_maker() -> Callable[[str], str]:
    """:func:`entry_url` for many slugs."""
    return slug_url_maker(ENTRY_URL_NAME)
