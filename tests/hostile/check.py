"""Find anything in HTML that could run script, load from elsewhere, or restyle the page.

The checks read HTML the way a browser does (``html.parser`` decodes entities in
attribute values; URLs are cleaned as the WHATWG URL parser cleans them: leading and
trailing controls and spaces dropped, tabs and newlines removed anywhere) and say what
they found, so a failing test names the construct, not just "unsafe".

``dangers(html)`` is for entry bodies: only the elements and attributes our features
produce may appear.  ``page_dangers(html)`` is for whole pages: the site's own head,
scripts and search form are allowed, but nothing anywhere may carry an event handler,
a style attribute, an unsafe URL, or a script other than our static file and JSON-LD.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

SAFE_SCHEMES = frozenset({"http", "https", "mailto"})

# What an entry body may contain: the features' elements (tests/test_sanitizer.py checks the
# sanitizer's allowlist against this one).
BODY_ELEMENTS = frozenset({
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd", "blockquote", "pre",
    "code", "em", "strong", "del", "sub", "sup", "span", "a", "img", "table", "thead", "tbody", "tr", "th", "td",
    "section",
})
BODY_ATTRIBUTES = frozenset({"href", "src", "alt", "title", "id", "class", "start", "align", "aria-label",
                             "aria-describedby", "aria-labelledby"})

# Never acceptable anywhere in a page we serve. (The site's own "Was this page helpful?" form has a
# textarea and a select; an entry's body may have neither: BODY_ELEMENTS is checked separately.)
FORBIDDEN_ELEMENTS = frozenset({
    "iframe", "frame", "frameset", "object", "embed", "applet", "base", "math", "style", "template", "noscript",
    "xmp", "plaintext", "listing", "noembed", "noframes", "portal", "audio", "video", "source", "track", "canvas",
    "bgsound", "isindex", "keygen", "image", "param", "xml", "import",
    "foreignobject", "set", "animate", "handler", "listener", "frame", "marquee", "dialog",
})
FORBIDDEN_ATTRIBUTES = frozenset({
    "style", "srcdoc", "formaction", "background", "dynsrc", "lowsrc", "xmlns", "xlink:href", "http-equiv",
    "srcset", "ping", "codebase", "classid", "archive", "data", "poster", "is", "autofocus", "contenteditable",
    "attributename", "from", "to", "values", "by", "begin", "onbegin", "behavior", "datasrc", "datafld",
})
URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "cite", "longdesc", "usemap", "icon", "manifest",
                            "profile", "xlink:href", "data", "poster", "background", "codebase"})
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
_C0_OR_SPACE = "".join(chr(code) for code in range(0x21))


def url_scheme(value: str) -> str | None:
    """The scheme a browser would read from an attribute value, lowercased; None if relative."""
    cleaned = value.strip(_C0_OR_SPACE)
    cleaned = re.sub(r"[\t\n\r]", "", cleaned)
    match = _SCHEME.match(cleaned)
    return match.group(1).lower() if match else None


def is_off_site(value: str) -> bool:
    cleaned = re.sub(r"[\t\n\r]", "", value.strip(_C0_OR_SPACE))
    return url_scheme(value) is not None or cleaned.startswith(("//", "\\\\", "/\\", "\\/"))


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.scripts: list[tuple[dict, str]] = []
        self._script: dict | None = None
        self._script_text: list[str] = []
        self.comments: list[str] = []
        self.texts: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, attrs))
        if tag == "script":
            self._script = dict(attrs)
            self._script_text = []

    def handle_startendtag(self, tag, attrs):
        self.elements.append((tag, attrs))

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            self.scripts.append((self._script, "".join(self._script_text)))
            self._script = None

    def handle_data(self, data):
        if self._script is not None:
            self._script_text.append(data)
        else:
            self.texts.append(data)

    def handle_comment(self, data):
        self.comments.append(data)

    def unknown_decl(self, data):
        self.comments.append(data)

    def handle_pi(self, data):
        self.comments.append(data)


def _collect(html: str) -> _Collector:
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return collector


def _attribute_dangers(tag: str, attrs, found: list[str]) -> None:
    for name, value in attrs:
        value = value or ""
        if name.startswith("on"):
            found.append(f"<{tag} {name}=…>: an event handler")
        elif name in FORBIDDEN_ATTRIBUTES:
            found.append(f"<{tag} {name}=…>: a forbidden attribute")
        if name in URL_ATTRIBUTES or name.endswith(":href"):
            scheme = url_scheme(value)
            if scheme is not None and scheme not in SAFE_SCHEMES:
                found.append(f"<{tag} {name}={value!r}>: a {scheme}: URL")


def dangers(html: str) -> list[str]:
    """Everything in an entry body that falls outside what our features produce."""
    collected = _collect(html)
    found: list[str] = []
    for tag, attrs in collected.elements:
        if tag not in BODY_ELEMENTS:
            found.append(f"<{tag}>: not an element entries may contain")
        for name, value in attrs:
            if name not in BODY_ATTRIBUTES:
                found.append(f"<{tag} {name}>: not an attribute entries may set")
            if name == "id" and value and value in PAGE_NAMES:
                found.append(f"<{tag} id={value!r}>: clobbers a name the page uses")
        _attribute_dangers(tag, attrs, found)
        if tag == "img":
            source = dict(attrs).get("src") or ""
            if source and is_off_site(source):
                found.append(f"<img src={source!r}>: an image from another site")
    if collected.scripts:
        found.append("<script> in an entry body")
    if collected.comments:
        found.append("an HTML comment or declaration in an entry body")
    return found


# DOM names a page relies on (document.forms, the search box, the skip link's target).
PAGE_NAMES = frozenset({"csrfmiddlewaretoken", "main", "search-q", "site-header", "site-footer", "entry-title"})


def page_dangers(html: str, *, static_url: str = "/static/") -> list[str]:
    """Everything in a whole page that could run script or load from elsewhere."""
    collected = _collect(html)
    found: list[str] = []
    for tag, attrs in collected.elements:
        if tag in FORBIDDEN_ELEMENTS:
            found.append(f"<{tag}>: a forbidden element")
        _attribute_dangers(tag, attrs, found)
        values = dict(attrs)
        if tag == "meta" and "http-equiv" in values:
            found.append("<meta http-equiv>")
        if tag == "form":
            action = values.get("action") or ""
            if is_off_site(action):
                found.append(f"<form action={action!r}>: posts elsewhere")
        if tag in {"img", "link", "script"}:
            source = values.get("src") or (values.get("href") if tag == "link" and values.get("rel") in
                                           {"stylesheet", "icon", "apple-touch-icon", "preload", "modulepreload"}
                                           else "") or ""
            if source and is_off_site(source):
                found.append(f"<{tag}> loads {source!r} from another site")
    for attrs, text in collected.scripts:
        kind = (attrs.get("type") or "").lower()
        if kind in ("application/ld+json", "application/json"):  # JSON-LD, and data blocks (link previews)
            if "</" in text or "<!--" in text:
                found.append("a JSON-LD block holds markup")
            try:
                json.loads(text)
            except ValueError:
                found.append("a JSON-LD block is not valid JSON")
        elif not (attrs.get("src") or "").startswith(static_url) or text.strip():
            found.append(f"a <script> that is not the site's own file: {attrs!r} {text[:60]!r}")
    return found


def json_ld_blocks(html: str) -> list:
    """The parsed JSON-LD data blocks of a page."""
    return [json.loads(text) for attrs, text in _collect(html).scripts
            if (attrs.get("type") or "").lower() == "application/ld+json"]


class _Finder(HTMLParser):
    """Text of elements matched by a tag and attribute test, and attribute values."""

    VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
                      "wbr"})

    def __init__(self, tag: str, attribute: str | None, value: str | None) -> None:
        super().__init__(convert_charrefs=True)
        self.tag, self.attribute, self.value = tag, attribute, value
        self.results: list[dict] = []
        self._open: list[tuple[int, dict]] = []
        self._depth = 0

    def _matches(self, tag, attrs) -> bool:
        if tag != self.tag:
            return False
        if self.attribute is None:
            return True
        values = dict(attrs)
        if self.attribute not in values:
            return False
        return self.value is None or (values[self.attribute] or "") == self.value or \
            self.value in (values[self.attribute] or "").split()

    def handle_starttag(self, tag, attrs):
        if self._matches(tag, attrs):
            record = {"attrs": dict(attrs), "text": []}
            self.results.append(record)
            if tag not in self.VOID:
                self._open.append((self._depth, record))
        if tag not in self.VOID:
            self._depth += 1

    def handle_startendtag(self, tag, attrs):
        if self._matches(tag, attrs):
            self.results.append({"attrs": dict(attrs), "text": []})

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        self._depth -= 1
        while self._open and self._open[-1][0] >= self._depth:
            self._open.pop()

    def handle_data(self, data):
        for _depth, record in self._open:
            record["text"].append(data)


def find(html: str, tag: str, attribute: str | None = None, value: str | None = None) -> list[dict]:
    """[{attrs, text}] for each ``tag`` (with ``attribute`` = ``value``, or containing that class)."""
    finder = _Finder(tag, attribute, value)
    finder.feed(html)
    finder.close()
    return [{"attrs": record["attrs"], "text": "".join(record["text"])} for record in finder.results]


def squash(text: str) -> str:
    return " ".join(text.split())
