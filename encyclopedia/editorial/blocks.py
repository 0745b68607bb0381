"""The top-level blocks of a rendered entry, each with the file line it came from.

The rendered HTML says what a block is and whether it carries a citation marker
(``sup.cite``); a block parse of the Markdown source (no inline processing) gives
the same blocks in the same order with their raw text, which we find again in the
file to name the line.  The two lists have one item per top-level block, except the
sections the renderer appends (References, Words explained), which are left out.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from html.parser import HTMLParser

from ..records import EntryRecord
from ..rendering import RenderContext, Renderer

VOID_TAGS = frozenset({"br", "hr", "img", "wbr"})
HEADING_LEVELS = {"h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}


@dataclass
class Block:
    tag: str
    classes: frozenset[str] = frozenset()
    cited: bool = False
    line: int = 1
    last_text: str = ""  # the block's last words, to see whether it ends with a colon

    @property
    def introduces(self) -> bool:
        """A paragraph ending with a colon introduces the list or table after it."""
        return self.tag == "p" and self.last_text.endswith(":")

    @property
    def level(self) -> int:
        return HEADING_LEVELS.get(self.tag, 0)


class _TopLevelParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.depth = 0

    def handle_starttag(self, tag, attrs):
        classes = frozenset((dict(attrs).get("class") or "").split())
        if self.depth == 0:
            self.blocks.append(Block(tag=tag, classes=classes))
        elif tag == "sup" and "cite" in classes:
            self.blocks[-1].cited = True
        if tag not in VOID_TAGS:
            self.depth += 1

    def handle_data(self, data):
        if self.depth > 0 and data.strip():
            self.blocks[-1].last_text = data.strip()

    def handle_startendtag(self, tag, attrs):
        if self.depth == 0:
            self.blocks.append(Block(tag=tag))

    def handle_endtag(self, tag):
        if tag not in VOID_TAGS:
            self.depth = max(0, self.depth - 1)


def html_blocks(html: str) -> list[Block]:
    """Top-level elements of rendered entry HTML, without the appended sections."""
    parser = _TopLevelParser()
    parser.feed(html)
    parser.close()
    blocks = parser.blocks
    while blocks and blocks[-1].tag == "section":
        blocks.pop()
    return blocks


_local = threading.local()


def _renderer() -> Renderer:
    """A block parser configured exactly as the renderer's (one per thread)."""
    if not hasattr(_local, "renderer"):
        _local.renderer = Renderer(RenderContext())
    return _local.renderer


def _first_text(element) -> str:
    for node in element.iter():
        if node.text and node.text.strip():
            return node.text.strip().split("\n", 1)[0].strip()
    return ""


def source_block_lines(entry: EntryRecord) -> list[int]:
    """The file line of each top-level block of the entry's body, in order."""
    root = _renderer().block_tree(entry.body)
    searchable = [line.expandtabs(4) for line in entry.body.split("\n")]
    cursor = 0
    found: list[int] = []
    for child in root:
        snippet = _first_text(child)[:80]
        index = next((i for i in range(cursor, len(searchable)) if snippet and snippet in searchable[i]), None)
        if index is None:
            index = cursor
        else:
            cursor = index + 1
        found.append(entry.body_line + index)
    return found


def entry_blocks(entry: EntryRecord, html: str) -> list[Block]:
    """The rendered blocks with their file lines (the body's first line if they cannot be matched)."""
    blocks = html_blocks(html)
    lines = source_block_lines(entry)
    if len(lines) == len(blocks):
        for block, line in zip(blocks, lines):
            block.line = line
    else:
        for block in blocks:
            block.line = entry.body_line
    return blocks

