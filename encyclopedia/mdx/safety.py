"""Raw HTML stays text, and attribute lists can set only ids and a few classes.

Sanitizing with bleach is still the last step (``encyclopedia.sanitizer``); this keeps
Markdown from producing attributes that content should not control in the first place,
such as ids that clobber the page's own names or classes that mimic the page's notices.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor

from .base import id_problem, state

# Classes an editor may set with an attribute list: `## Questions {: .no-cite}`.
USER_CLASSES = frozenset({"no-cite", "lead"})
_CODE_LANGUAGE = re.compile(r"^language-[a-z0-9+#-]{1,30}$")

# Attributes core Markdown itself writes, per tag; anything else came from an attribute list.
MARKDOWN_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "th": {"align"},
    "td": {"align"},
    "ol": {"start"},
}


class AttributeGuardTreeprocessor(Treeprocessor):
    """Runs after attr_list (8): checks ids, filters classes, drops other attributes."""

    def run(self, root: etree.Element) -> None:
        doc = state(self.md)
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
                    if keep:
                        element.set("class", " ".join(keep))
                    else:
                        del element.attrib[name]
                elif name not in allowed:
                    del element.attrib[name]


class SafetyExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        # Raw HTML, block and inline, is not recognised: it stays text and is escaped.
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.treeprocessors.register(AttributeGuardTreeprocessor(md), "immunoref_attribute_guard", 7)
