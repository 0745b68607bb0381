"""Cross-links: ``[[slug]]``, ``[[slug|text]]``, ``[[slug#section]]``, ``[[alias]]``.

Targets are resolved from the render context's precomputed maps (never the database).
Without link text, the target's title is shown.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree

from markdown import Markdown

from ..names import did_you_mean
from .base import DocumentExtension, DocumentInlineProcessor
from .syntax import WIKILINK_PATTERN, wikilink_parts


class WikiLinkInlineProcessor(DocumentInlineProcessor):
    def handleMatch(self, m, data):  # noqa: N802 (Markdown's API)
        doc = self.document
        context = self.document.context
        page = self.document.page
        name, section, label = wikilink_parts(m.group(1))
        target = context.resolve(name) if name else (context.targets.get(page.slug) if section else None)
        if target is None:
            hint = did_you_mean(name, context.targets)
            doc.problem(m.group(0), f"cross-link `{m.group(0)}`: no entry or alias `{name}`{hint}; "
                                    "use an entry's slug (its file name) or one of its aliases")
            return label or name, m.start(0), m.end(0)
        if section and section not in target.section_ids and not target.broken:
            known = ", ".join(sorted(target.section_ids)) or "none"
            doc.problem(m.group(0), f"cross-link `{m.group(0)}`: entry `{target.slug}` has no section "
                                    f"`#{section}` (its sections are: {known})")
            return label or target.title, m.start(0), m.end(0)
        if target.draft and not page.draft:
            doc.problem(m.group(0), f"cross-link `{m.group(0)}`: `{target.slug}` is a draft; a published entry "
                                    "cannot link to a draft (publish it first or remove the link)")
        element = etree.Element("a")
        element.set("href", target.url + (f"#{section}" if section else ""))
        element.set("class", "xref")
        element.text = label or target.title
        doc.mark_generated(element)
        doc.links.append((target.slug, section))
        return element, m.start(0), m.end(0)


class WikiLinkExtension(DocumentExtension):
    def extendMarkdown(self, md: Markdown) -> None:
        # Above Markdown's own links (reference 170, link 160) so `[[…]]` is never read as one.
        md.inlinePatterns.register(WikiLinkInlineProcessor(WIKILINK_PATTERN, md, self.document), "immunoref_wikilink", 175)
