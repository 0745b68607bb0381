"""Template tags for the pages: what they tell search engines and chat apps, and page layout helpers."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.templatetags.static import static

from .. import addresses, structured_data

register = template.Library()


@register.simple_tag
def entry_json_ld(entry):
    return structured_data.json_ld_script(structured_data.entry_data(entry))


@register.simple_tag
def website_json_ld():
    return structured_data.json_ld_script(structured_data.website_data())


@register.filter
def entry_url(slug: str) -> str:
    """The address of the entry with this slug (``{{ slug|entry_url }}``)."""
    return addresses.entry_url(slug)


@register.simple_tag
def absolute_static(path: str) -> str:
    """A static file's full address (for og:image), whether STATIC_URL is a path or a URL."""
    url = static(path)
    return url if url.startswith(("http://", "https://")) else settings.BASE_URL + url


@register.filter
def split_intro(html: str) -> tuple[str, str]:
    """(text before the first section heading, the rest): figures go between the two."""
    index = html.find("<h2")
    if index < 0:
        return html, ""
    return html[:index], html[index:]


@register.simple_tag
def review_interval_months() -> int:
    return settings.REVIEW_INTERVAL_MONTHS


@register.filter
def letter_id(letter: str) -> str:
    """The anchor of a letter group on the A–Z and glossary pages (``#`` holds the rest)."""
    return f"letter-{letter.lower()}" if letter.isalpha() else "letter-other"
