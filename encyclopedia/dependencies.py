"""What an entry's source names: link targets, cited reference ids, glossary terms.

``build`` hashes these (with what each name resolves to) to decide whether an entry must
be rendered again; the scan runs in the render workers with the section-id pass.  It reads
the text with the extensions' own syntax (:mod:`encyclopedia.mdx.syntax`) and glossary
pattern, so it names exactly what the renderer would look up.
"""

from __future__ import annotations

from .mdx.glossary import terms_in
from .mdx.syntax import cited_keys, wikilink_targets


def dependencies_of(body: str, glossary: tuple, glossary_hash: str) -> dict:
    """{"links", "cites", "terms": sorted names, "glossary": the hash of the glossary's names}."""
    return {"links": sorted(wikilink_targets(body)), "cites": sorted(cited_keys(body)),
            "terms": sorted(terms_in(body, glossary)), "glossary": glossary_hash}
