"""Citation rules: every paragraph, list and table in the factual parts cites a source,
and every bibliography record is cited somewhere."""

from __future__ import annotations

from typing import Iterator

from ..build import Prepared
from ..errors import Problem
from ..datafiles import REFERENCES_FILE
from .blocks import entry_blocks

NO_CITE_CLASS = "no-cite"
INTRODUCED = frozenset({"ul", "ol", "table", "dl"})
WHAT = {"p": "paragraph", "ul": "list", "ol": "list", "table": "table", "dl": "list", "blockquote": "quotation"}
WHERE = {
    "paragraph": "at the end of the sentence it supports",
    "list": "to the items it supports, or to a sentence ending with a colon that introduces the list",
    "table": "in the cells it supports, or to a sentence ending with a colon that introduces the table",
    "quotation": "inside the quotation",
}


def uncited_blocks(prepared: Prepared) -> Iterator[Problem]:
    """A warning for each paragraph, list or table with no citation outside `{: .no-cite}` sections.

    A heading marked ``{: .no-cite}`` exempts its section: every block after it until
    the next heading of the same or a higher level.  A paragraph ending with a colon
    and the list or table it introduces count as one: a citation in either covers both.
    """
    refused = {(problem.path, problem.line) for problem in prepared.content.problems}
    for slug, result in sorted(prepared.rendered.items()):
        entry = prepared.content.entries[slug]
        exempt_level: int | None = None
        blocks = entry_blocks(entry, result.html)
        for lead, following in zip(blocks, blocks[1:]):
            if lead.introduces and following.tag in INTRODUCED:
                lead.cited = following.cited = lead.cited or following.cited
        for block in blocks:
            if block.level:
                if exempt_level is not None and block.level <= exempt_level:
                    exempt_level = None
                if exempt_level is None and NO_CITE_CLASS in block.classes:
                    exempt_level = block.level
                continue
            what = WHAT.get(block.tag)
            if what is None or block.cited or exempt_level is not None or (entry.path, block.line) in refused:
                continue  # (a block with a refused citation already has its error)
            yield Problem(entry.path, block.line,
                          f"this {what} cites no source: add a citation [@id] (an id from references.yaml) {WHERE[what]}; "
                          "a section that states no facts (such as questions to ask) can be exempted by "
                          "ending its heading with {: .no-cite}", "warning")


def cited_keys(prepared: Prepared) -> set[str]:
    """Every reference id cited by an entry (as rendered, or as written where rendering failed)
    or by a timeline step."""
    keys: set[str] = set()
    for slug in prepared.content.entries:
        result = prepared.rendered.get(slug)
        if result is not None:
            keys.update(key for key, _number, _section in result.citations)
        else:
            keys.update(prepared.dep_keys.get(slug, {}).get("cites", ()))
    for step in prepared.content.timeline:
        keys.update(step.cite)
    return keys


def uncited_references(prepared: Prepared) -> Iterator[Problem]:
    """A warning for each bibliography record that nothing cites."""
    content = prepared.content
    if content.broken:
        return  # an entry that could not be read may cite them: do not guess
    used = cited_keys(prepared)
    path = content.display_path(content.root / REFERENCES_FILE)
    for key, record in sorted(content.references.items(), key=lambda item: item[1].line):
        if key not in used:
            yield Problem(path, record.line,
                          f"reference `{key}` is cited by no entry: cite it with [@{key}] where it supports "
                          "the text, or remove the record", "warning")
