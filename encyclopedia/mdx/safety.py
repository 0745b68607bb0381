"""Raw HTML stays text, and attribute lists can set only ids and a few classes.

Sanitizing with bleach is still the last step (``encyclopedia.sanitizer``); this keeps
Markdown from producing attributes that content should not control in the first place,
such as ids that clobber the page's own names or classes that mimic the page's notices.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown import Markdown

from ..sanitizer import is_on_site, url_scheme
from .base import DocumentExtension, DocumentTreeprocessor, id_problem

# Classes an editor may set with an attribute list: `## Questions {: .no-cite}`.
USER_CLASSES = frozenset({"no-cite", "lead"})
_USER_CLASS_LIST = ", ".join(f"`.{name}`" for name in sorted(USER_CLASSES))
_CODE_LANGUAGE = re.compile(r"^language-[a-z0-9+#-]{1,30}$")

# Attributes core Markdown itself writes, per tag; anything else came from an attribute list.
MARKDOWN_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "th": {"align"},
    "td": {"align"},
    "ol": {"start"},
}
LINK_SCHEMES = frozenset({"http", "https", "mailto"})


def link_problem(href: str) -> str | None:
    scheme = url_scheme(href)
    if scheme is None or scheme in LINK_SCHEMES:
        return None
    return (f"link `{href}`: `{scheme}:` links are not allowed; link to a page with https://, to an "
            "address with mailto:, or to a page of this site such as /entries/…/")


def image_problem(src: str) -> str | None:
    if is_on_site(src):
        return None
    return (f"image `{src}`: images must be files on this site (pages load nothing from other websites); "
            "save it under static/ and write its path, such as /static/encyclopedia/….png")


class AttributeGuardTreeprocessor(DocumentTreeprocessor):
    """Runs after attr_list (8): checks ids, filters classes, drops other attributes."""

    def run(self, root: etree.Element) -> None:
        doc = self.document
        for element in root.iter():
            original = doc.generated.get(element)
            if original is not None:
                element.attrib.clear()
                element.attrib.update(original)
                continue
            allowed = MARKDOWN_ATTRIBUTES.get(element.tag, set())
            for name in list(element.attrib):
                value = element.attrib[name]
                if name == "id":
                    problem = id_problem(value)
                    if problem:
                        if element.tag not in {"h1", "h2", "h3", "h4", "h5", "h6"}:
                            doc.problem(f"#{value}", problem)
                        del element.attrib[name]
                elif name == "class":
                    keep = [c for c in value.split() if c in USER_CLASSES
                            or (element.tag == "code" and _CODE_LANGUAGE.match(c))]
                    for unknown in [c for c in value.split() if c not in keep]:
                        doc.problem(f".{unknown}", f"class `.{unknown}` cannot be set here; the classes an "
                                                   f"entry may use are {_USER_CLASS_LIST}")
                    if keep:
                        element.set("class", " ".join(keep))
                    else:
                        del element.attrib[name]
                elif name not in allowed:
                    doc.problem(name, f"attribute `{name}` cannot be set in an attribute list; only an id "
                                      f"(`{{: #my-id}}`) and the classes {_USER_CLASS_LIST} can")
                    del element.attrib[name]
            if element.tag == "a" and element.get("href") is not None:
                problem = link_problem(element.get("href"))
                if problem:
                    doc.problem(element.get("href"), problem)
                    del element.attrib["href"]
            elif element.tag == "img" and element.get("src") is not None:
                problem = image_problem(element.get("src"))
                if problem:
                    doc.problem(element.get("src"), problem)
                    del element.attrib["src"]


class SafetyExtension(DocumentExtension):
    def extendMarkdown(self, md: Markdown) -> None:
        # Raw HTML, block and inline, is not recognised: it stays text and is escaped.
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.treeprocessors.register(AttributeGuardTreeprocessor(md, self.document), "immunoref_attribute_guard", 7)
