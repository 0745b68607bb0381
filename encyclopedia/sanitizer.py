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

from types import MappingProxyType

import bleach

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
    "pre": ("class",),
    "blockquote": ("id", "class"),
    "table": ("id", "class"),
    "th": ("align",),
    "td": ("align",),
    "section": ("class", "aria-labelledby"),
})

ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})

_CLEANER = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=dict(ALLOWED_ATTRIBUTES),
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
)


def sanitize(html: str) -> str:
    """Sanitize rendered HTML.  The single chokepoint: nothing reaches a page otherwise."""
    return _CLEANER.clean(html)
