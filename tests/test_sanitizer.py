"""The sanitizer, on its own: the last step of rendering, with our own frozen allowlists.

Markdown already escapes raw HTML, so these tests feed the hostile vectors to
``sanitize`` directly, as HTML: the allowlists must hold even if an extension someday
lets markup through.  The same tests must pass if ``sanitize`` moves to nh3.
"""

from __future__ import annotations

import re
from pathlib import Path

import bleach
import markdown
import pytest

from encyclopedia import sanitizer
from encyclopedia.sanitizer import ALLOWED_ATTRIBUTES, ALLOWED_PROTOCOLS, ALLOWED_TAGS, sanitize
from tests import hostile
from tests.hostile import check
from tests.hostile.check import BODY_ATTRIBUTES, BODY_ELEMENTS, dangers, find

PROJECT = Path(__file__).resolve().parent.parent


def test_the_pinned_versions_are_the_ones_tested():
    assert markdown.__version__ == "3.11.3"
    assert bleach.__version__ == "6.4.0"
    pyproject = (PROJECT / "pyproject.toml").read_text()
    assert '"Markdown==3.11.3"' in pyproject and '"bleach==6.4.0"' in pyproject


def test_allowlists_are_our_own_frozen_ones_and_bleach_globals_are_untouched():
    assert isinstance(ALLOWED_TAGS, frozenset) and isinstance(ALLOWED_PROTOCOLS, frozenset)
    with pytest.raises(TypeError):
        ALLOWED_ATTRIBUTES["a"] = ("onclick",)  # a read-only mapping
    assert bleach.sanitizer.ALLOWED_TAGS == frozenset({
        "a", "abbr", "acronym", "b", "blockquote", "code", "em", "i", "li", "ol", "strong", "ul"})
    assert bleach.sanitizer.ALLOWED_PROTOCOLS == frozenset({"http", "https", "mailto"})
    assert bleach.sanitizer.ALLOWED_ATTRIBUTES == {"a": ["href", "title"], "abbr": ["title"], "acronym": ["title"]}


def test_the_allowlists_admit_nothing_that_can_run_or_load():
    assert ALLOWED_PROTOCOLS == {"http", "https", "mailto"}
    assert not ALLOWED_TAGS & {"script", "style", "iframe", "object", "embed", "svg", "math", "form", "base",
                               "meta", "link", "input", "button", "textarea", "select", "frame", "template"}
    for tag, names in ALLOWED_ATTRIBUTES.items():
        for name in names:
            assert not name.startswith("on") and name not in {"style", "srcdoc", "formaction", "action", "name"}, \
                (tag, name)
    # The page checker in tests/hostile/check.py knows at least everything the sanitizer admits.
    assert ALLOWED_TAGS <= BODY_ELEMENTS
    assert {name for names in ALLOWED_ATTRIBUTES.values() for name in names} <= BODY_ATTRIBUTES


def test_only_the_sanitizer_module_uses_bleach():
    users = [path.relative_to(PROJECT).as_posix() for path in (PROJECT / "encyclopedia").rglob("*.py")
             if re.search(r"^\s*(import bleach|from bleach)", path.read_text(), re.MULTILINE)]
    assert users == ["encyclopedia/sanitizer.py"] or sorted(users) == ["encyclopedia/rendering.py",
                                                                      "encyclopedia/sanitizer.py"]
    if "encyclopedia/rendering.py" in users:  # only for the renderer's version fingerprint
        text = (PROJECT / "encyclopedia/rendering.py").read_text()
        assert "bleach.clean" not in text and "bleach.Cleaner" not in text


@pytest.mark.parametrize("vector", hostile.owasp_vectors())
def test_owasp_vectors_as_raw_html_come_out_harmless(vector):
    cleaned = sanitize(vector)
    assert not dangers(cleaned), (vector, cleaned)
    assert sanitize(cleaned) == cleaned  # stable: parsing the output again changes nothing


@pytest.mark.parametrize("value", [
    "javascript:alert(1)", "JaVaScRiPt:alert(1)", "&#106;avascript:alert(1)", "&#x6A;avascript:alert(1)",
    "&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058alert(1)",
    "java\tscript:alert(1)", "java&#9;script:alert(1)", "java&#x0A;script:alert(1)", "java&NewLine;script:alert(1)",
    "java&Tab;script:alert(1)", "javascript&colon;alert(1)", " \x01\x02javascript:alert(1)",
    "&#x01;javascript:alert(1)",
    "\x00javascript:alert(1)", "java\x00script:alert(1)", "vbscript:msgbox(1)", "VBSCRIPT:msgbox(1)",
    "data:text/html;base64,PHNjcmlwdD4=", "DaTa:text/html,x", "livescript:x", "file:///etc/passwd",
])
def test_scripting_urls_are_removed_however_encoded(value):
    for html in (f'<a href="{value}">x</a>', f"<a href='{value}'>x</a>", f'<img src="{value}" alt="x">'):
        cleaned = sanitize(html)
        assert not dangers(cleaned), (html, cleaned)
        # Either the attribute is gone, or bleach escaped an entity it does not know, so the
        # browser reads a harmless relative address such as `javascript&colon;alert(1)`.
        for element in find(cleaned, "a") + find(cleaned, "img"):
            for name in ("href", "src"):
                if name in element["attrs"]:
                    assert check.url_scheme(element["attrs"][name]) is None, cleaned


@pytest.mark.parametrize("value,kept", [
    ("https://example.org/a?b=c&amp;d=e", True),
    ("http://example.org/", True),
    ("mailto:care-team@example.org", True),
    ("/entries/crs/#grading", True),
    ("#references", True),
    ("../glossary/", True),
    ("//example.org/elsewhere", True),  # another site, over the page's own scheme: a plain link
    ("ftp://example.org/file", False),
    ("tel:+441234567890", False),
])
def test_links_keep_http_https_mailto_and_relative_urls_only(value, kept):
    cleaned = sanitize(f'<a href="{value}">x</a>')
    assert (find(cleaned, "a")[0]["attrs"].get("href") is not None) is kept, cleaned


@pytest.mark.parametrize("value,kept", [
    ("/static/encyclopedia/diagram.png", True),
    ("diagram.png", True),
    ("https://example.org/pixel.gif", False),
    ("http://example.org/pixel.gif", False),
    ("//example.org/pixel.gif", False),
    ("\\\\example.org/pixel.gif", False),
    ("/\\example.org/pixel.gif", False),
    ("data:image/png;base64,iVBORw0KGgo=", False),
])
def test_images_load_only_from_this_site(value, kept):
    cleaned = sanitize(f'<img src="{value}" alt="a diagram">')
    image = find(cleaned, "img")[0]["attrs"]
    assert (image.get("src") is not None) is kept, cleaned
    assert image["alt"] == "a diagram"


def test_handlers_styles_and_unknown_attributes_are_dropped_and_text_kept():
    cleaned = sanitize('<p onclick="alert(1)" style="color:red" id="ok" class="lead" data-x="1" '
                       'title="t">Hello <b onmouseover="x">world</b></p>')
    assert cleaned == '<p id="ok" class="lead">Hello world</p>'


def test_elements_outside_the_allowlist_are_stripped_and_their_text_escaped():
    cleaned = sanitize("<script>alert(1)</script><style>p{}</style><iframe src=x></iframe><svg><g/></svg>"
                       "<form><input name=csrfmiddlewaretoken></form><!-- hidden --><p>kept</p>")
    assert "<" not in cleaned.replace("<p>", "").replace("</p>", "")
    assert cleaned.endswith("<p>kept</p>")
    assert "hidden" not in cleaned


def test_code_blocks_keep_only_a_language_class_and_pre_none():
    assert sanitize('<pre class="draft-banner"><code class="language-python">x</code></pre>') == \
        '<pre><code class="language-python">x</code></pre>'
    assert sanitize('<code class="skip-link">x</code>') == "<code>x</code>"


def test_attribute_values_cannot_break_out_of_their_quotes():
    cleaned = sanitize('<a href="/x" title="&quot; onmouseover=&quot;alert(1)">x</a>')
    assert not dangers(cleaned)
    assert find(cleaned, "a")[0]["attrs"]["title"] == '" onmouseover="alert(1)'
    # `<` inside an attribute is written as &lt;, so a naive split on "<h2" cannot land inside one.
    assert "<h2" not in sanitize('<a href="/x" title="<h2 onmouseover=alert(1)>">x</a>')


def test_entities_are_kept_as_written():
    assert sanitize("<p>AT&amp;T &copy; &lt;b&gt; &#169;</p>") == "<p>AT&amp;T &copy; &lt;b&gt; &#169;</p>"


def test_url_helpers_read_urls_as_browsers_do():
    assert sanitizer.url_scheme(" \tJaVa&#x0A;ScRiPt&colon;x") == "javascript"
    assert sanitizer.url_scheme("/entries/crs/") is None
    assert sanitizer.url_scheme("%6Aavascript:x") is None
    assert sanitizer.is_on_site("/static/x.png") and sanitizer.is_on_site("x.png")
    assert not sanitizer.is_on_site("//example.org/x.png") and not sanitizer.is_on_site("\\\\example.org/x.png")
    assert not sanitizer.is_on_site("https://example.org/x.png")
