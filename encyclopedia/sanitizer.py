"""The one place HTML is sanitized, with our own frozen allowlists.

Every entry's HTML passes through :func:`sanitize` as the last step of rendering,
after all Markdown extensions have run.  The allowlists are ours (bleach's globals are
never touched) and admit exactly what the features need: no ``style``, no ``on*``
handlers, no scripts, frames, forms, SVG or MathML, and URLs only with the protocols
http, https and mailto, or relative.  To move to nh3 (bleach's successor) replace the
body of :func:`sanitize`; the tests in ``tests/test_sanitizer.py`` and
``tests/test_hostile_content.py`` hold either way.
"""

from __future__ import annotations

import re
from html import unescape
from types import MappingProxyType

import bleach

from .mdx.base import RESERVED_IDS

ALLOWED_TAGS = frozenset({
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6",
    "ul", "ol", "li", "dl", "dt", "dd", "blockquote", "pre", "code",
    "em", "strong", "del", "sub", "sup", "span", "a", "img",
    "table", "thead", "tbody", "tr", "th", "td", "section",
})

_HEADING = ("id", "class")
ALLOWED_ATTRIBUTES = MappingProxyType({
    "a": ("href", "title", "class", "id", "aria-label", "aria-describedby"),
    "img": ("src", "alt", "title"),
    "h2": _HEADING, "h3": _HEADING, "h4": _HEADING, "h5": _HEADING, "h6": _HEADING,
    "p": ("id", "class"),
    "ul": ("id", "class"),
    "ol": ("id", "class", "start"),
    "li": ("id", "class"),
    "dl": ("class",),
    "dt": ("id",),
    "dd": ("id",),
    "sup": ("class",),
    "span": ("class",),
    "code": ("class",),
    "pre": (),
    "blockquote": ("id", "class"),
    "table": ("id", "class"),
    "th": ("align",),
    "td": ("align",),
    "section": ("class", "aria-labelledby"),
})

ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})

# Classes are only ever set by our own extensions (the attribute guard in mdx/safety.py
# filters what editors write); two places Markdown fills in itself are narrowed here:
# a fenced block's language (`<code class="language-…">`) and nothing on `<pre>`.
_CODE_CLASS = re.compile(r"^language-[a-z0-9+#-]{1,40}$")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
# What browsers drop from a URL before reading it: C0 controls and spaces at either end,
# tabs and newlines anywhere (the WHATWG URL parser).
_URL_EDGES = "".join(chr(code) for code in range(0x21))
_URL_INNER = re.compile(r"[\t\n\r]")


def browser_url(value: str) -> str:
    """An attribute value as a browser reads it as a URL: entities decoded, then cleaned."""
    return _URL_INNER.sub("", unescape(value).strip(_URL_EDGES))


def url_scheme(value: str) -> str | None:
    """The scheme a browser would read from an attribute value (lowercase), or None if relative."""
    match = _SCHEME.match(browser_url(value))
    return match.group(1).lower() if match else None


def is_on_site(value: str) -> bool:
    """True for a URL that stays on this site: relative, without a scheme or another host."""
    cleaned = browser_url(value)
    return _SCHEME.match(cleaned) is None and not cleaned.replace("\\", "/").startswith("//")


# Ids the page templates use (the skip link's target, the search box, the form token...):
# an element of the entry claiming one could clobber it.  The attribute guard refuses them
# with a message; this holds even if something slips past it.  Our extensions do write the
# two section ids the templates link to.
_PAGE_IDS = RESERVED_IDS - {"references", "words-explained"}


def _allowed_attribute(tag: str, name: str, value: str) -> bool:
    if name not in ALLOWED_ATTRIBUTES.get(tag, ()):
        return False
    if name == "id":
        return value not in _PAGE_IDS
    if tag == "img" and name == "src":
        return is_on_site(value)  # nothing is loaded from another site (CSP img-src 'self' agrees)
    if tag == "code" and name == "class":
        return all(_CODE_CLASS.match(item) for item in value.split())
    return True


_CLEANER = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=_allowed_attribute,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
)


def sanitize(html: str) -> str:
    """Sanitize rendered HTML.  The single chokepoint: nothing reaches a page otherwise."""
    return _CLEANER.clean(html)
