"""What an entry's source names: link targets, cited reference ids, glossary terms.

``build`` hashes these (with what each name resolves to) to decide whether an entry must
be rendered again; the scan runs in the render workers with the section-id pass.
"""

from __future__ import annotations

import re

from .mdx.citations import CITATION_PATTERN
from .mdx.glossary import _key_for, compile_glossary
from .mdx.wikilinks import WIKILINK_PATTERN

_WIKILINK = re.compile(WIKILINK_PATTERN)
_CITATION = re.compile(CITATION_PATTERN)
_CITE_KEY = re.compile(r"@([A-Za-z0-9][A-Za-z0-9_:.#$%&+?<>~/-]*)")


def dependencies_of(body: str, glossary: tuple, glossary_hash: str) -> dict:
    """{"links", "cites", "terms": sorted names, "glossary": the hash of the glossary's names}."""
    links = sorted({m.group(1).split("|")[0].split("#")[0].strip() for m in _WIKILINK.finditer(body)})
    cites = sorted({key for m in _CITATION.finditer(body) for key in _CITE_KEY.findall(m.group(1))})
    pattern, exact, folded = compile_glossary(glossary)
    terms: set[str] = set()
    if pattern is not None:
        for match in pattern.finditer(body):
            key = _key_for(match.group(0), exact, folded)
            if key:
                terms.add(key)
    return {"links": links, "cites": cites, "terms": sorted(terms), "glossary": glossary_hash}
