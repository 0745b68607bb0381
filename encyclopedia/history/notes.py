"""The ``changes:`` front-matter field: a list of ``{date, note}`` items written by editors.

A note is one or two plain sentences (at most :data:`NOTE_MAX_LENGTH` characters, no Markdown).
Read by the loader (``encyclopedia.loader`` calls :func:`read_change_notes` for the field).
"""

from __future__ import annotations

import datetime as dt
import re

from .. import yamlnodes as yn
from ..mdx import syntax

NOTE_MAX_LENGTH = 300
# Markdown an editor might reach for; a note is shown as plain text, so it would show as typed.
_MARKDOWN = re.compile(r"(\*\*|__|`|\[[^\]]*\]\(|^#|<[a-zA-Z/!])", re.MULTILINE)


def _looks_like_markdown(note: str) -> bool:
    """Emphasis, code, links, headings or HTML, or our cross-links and citations (encyclopedia.mdx.syntax)."""
    return bool(_MARKDOWN.search(note) or syntax.WIKILINK.search(note) or syntax.CITATION.search(note))


def read_change_notes(node) -> tuple[tuple[str, str], ...]:
    """((ISO date, note), …) in the order written; raises yamlnodes.NodeError naming the line."""
    if not isinstance(node, yn.SequenceNode):
        raise yn.NodeError(yn.line(node), "`changes` must be a list of items, each written "
                           "`- date: YYYY-MM-DD` with `note: …` on the next line")
    notes: list[tuple[str, str]] = []
    seen: set[tuple[str, str]] = set()
    for item in node.value:
        fields = {name: (name_node, value) for name, name_node, value in yn.mapping_items(item, "a change note")}
        for name, (name_node, _value) in fields.items():
            if name not in ("date", "note"):
                raise yn.NodeError(yn.line(name_node), f"a change note has `date` and `note` only, not `{name}`")
        for name in ("date", "note"):
            if name not in fields:
                raise yn.NodeError(yn.line(item), f"a change note needs `{name}`")
        day: dt.date = yn.date(fields["date"][1], "date")
        note_node = fields["note"][1]
        note = " ".join(yn.text(note_node, "note").split())
        if len(note) > NOTE_MAX_LENGTH:
            raise yn.NodeError(yn.line(note_node), f"a change note is at most {NOTE_MAX_LENGTH} characters "
                               f"(this one has {len(note)}); say what changed in one or two plain sentences")
        if _looks_like_markdown(note):
            raise yn.NodeError(yn.line(note_node), "a change note is plain text: remove the Markdown "
                               "(links, citations, emphasis, code or HTML)")
        if (day.isoformat(), note) in seen:
            raise yn.NodeError(yn.line(item), "this change note is written twice; keep one")
        seen.add((day.isoformat(), note))
        notes.append((day.isoformat(), note))
    return tuple(notes)


def newest_first(notes) -> list[dict]:
    """Notes as ``{"date": date, "note": text}`` dicts, newest first (stable for notes of one day)."""
    items = [{"date": dt.date.fromisoformat(day), "note": note} for day, note in notes or ()]
    return sorted(items, key=lambda item: item["date"], reverse=True)
