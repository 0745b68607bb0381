"""What changed between two versions, as text a patient can read.

Work is bounded and spent only where the versions differ: sections are matched by their
heading (unchanged ones cost one string comparison), paragraphs of a changed section are
matched as whole strings, and only paragraphs that differ are compared word by word
(difflib), each comparison capped in size and all of them together capped by a budget;
past either cap a paragraph is shown as removed and added whole, which is still correct.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from .readable import CITATION, Readable, Section

MAX_WORD_DIFF_TOKENS = 6_000  # one paragraph pair, both sides together
WORD_DIFF_BUDGET = 300_000  # tokens compared word by word in one comparison
SIMILAR_ENOUGH = 0.35  # below this, a pair of paragraphs is shown as one removed and one added
# A word (or citation, or punctuation mark) with the spaces after it: half as many tokens as
# counting spaces apart, and no junk heuristics needed.
_TOKENS = re.compile(r"\s+|(?:" + CITATION.pattern.replace("(", "(?:") + r")\s*|\w+\s*|[^\w\s]\s*")
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")


@dataclass
class Piece:
    kind: str  # "same", "ins", "del"
    text: str


@dataclass
class ParagraphChange:
    kind: str  # "same", "added", "removed", "changed", "folded" (a run of unchanged paragraphs)
    pieces: list[Piece] = field(default_factory=list)
    folded: list[str] = field(default_factory=list)


@dataclass
class SectionChange:
    kind: str  # "unchanged", "changed", "added", "removed"
    heading: str
    anchor: str = ""
    moved: bool = False
    paragraphs: list[ParagraphChange] = field(default_factory=list)

    @property
    def title(self) -> str:
        return self.heading or "Introduction"


@dataclass
class Comparison:
    sections: list[SectionChange]
    references_added: list[tuple[str, str]]
    references_removed: list[tuple[str, str]]
    title: tuple[str, str] | None = None  # (old, new) when the title changed

    @property
    def changed(self) -> bool:
        return bool(self.title or self.references_added or self.references_removed
                    or any(section.kind != "unchanged" or section.moved for section in self.sections))

    @property
    def counts(self) -> dict[str, int]:
        counts = {"unchanged": 0, "changed": 0, "added": 0, "removed": 0, "moved": 0}
        for section in self.sections:
            counts[section.kind] += 1
            counts["moved"] += section.moved
        return counts


class _Budget:
    def __init__(self, tokens: int):
        self.left = tokens

    def take(self, count: int) -> bool:
        if count > MAX_WORD_DIFF_TOKENS or count > self.left:
            return False
        self.left -= count
        return True


def reference_label(text: str) -> str:
    """A short name for a reference: its first author (or body) and year, e.g. "Kolb HJ 2008"."""
    first = re.split(r"[.,]", text, maxsplit=1)[0].strip() or text[:40]
    year = _YEAR.search(text)
    return f"{first[:60]} {year.group(1)}" if year else first[:60]


def _words(old: str, new: str, budget: _Budget) -> list[Piece] | None:
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    if not budget.take(len(a) + len(b)):
        return None
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    if matcher.real_quick_ratio() < SIMILAR_ENOUGH or matcher.quick_ratio() < SIMILAR_ENOUGH:
        return None
    opcodes = matcher.get_opcodes()
    same = sum(i2 - i1 for op, i1, i2, _j1, _j2 in opcodes if op == "equal")
    if 2 * same / max(len(a) + len(b), 1) < SIMILAR_ENOUGH:
        return None
    pieces: list[Piece] = []

    def add(kind: str, text: str) -> None:
        if not text:
            return
        if pieces and pieces[-1].kind == kind:
            pieces[-1].text += text
        else:
            pieces.append(Piece(kind, text))

    for op, i1, i2, j1, j2 in opcodes:
        if op == "equal":
            add("same", "".join(a[i1:i2]))
        else:
            removed, added = "".join(a[i1:i2]), "".join(b[j1:j2])
            # Spaces after the changed words are shown unmarked (a token carries the spaces after it).
            tail = removed[len(removed.rstrip()):] if not added else added[len(added.rstrip()):]
            if removed and added and not removed.endswith(tail):
                tail = ""
            add("del", removed[:len(removed) - len(tail)] if removed else "")
            add("ins", added[:len(added) - len(tail)] if added else "")
            add("same", tail)
    return pieces


def _paragraphs(old: list[str], new: list[str], budget: _Budget) -> list[ParagraphChange]:
    changes: list[ParagraphChange] = []
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            same = old[i1:i2]
            changes.append(ParagraphChange("folded", folded=same))
            continue
        removed, added = old[i1:i2], new[j1:j2]
        for index in range(max(len(removed), len(added))):
            before = removed[index] if index < len(removed) else None
            after = added[index] if index < len(added) else None
            pieces = _words(before, after, budget) if before is not None and after is not None else None
            if pieces is not None:
                changes.append(ParagraphChange("changed", pieces))
                continue
            if before is not None:
                changes.append(ParagraphChange("removed", [Piece("del", before)]))
            if after is not None:
                changes.append(ParagraphChange("added", [Piece("ins", after)]))
    return changes


def _keys(sections: list[Section]) -> list[tuple[str, int]]:
    seen: dict[str, int] = {}
    keys = []
    for section in sections:
        name = " ".join(section.heading.casefold().split())
        seen[name] = seen.get(name, 0) + 1
        keys.append((name, seen[name]))
    return keys


def compare(old: Readable, new: Readable, *, old_title: str = "", new_title: str = "",
            budget_tokens: int = WORD_DIFF_BUDGET) -> Comparison:
    budget = _Budget(budget_tokens)
    old_keys, new_keys = _keys(old.sections), _keys(new.sections)
    old_at = {key: index for index, key in enumerate(old_keys)}
    matched = [old_at.get(key) for key in new_keys]
    # Sections kept in the same relative order (longest run); the other matched ones moved.
    in_order = [index for index in matched if index is not None]
    kept = set()
    ordering = SequenceMatcher(None, sorted(in_order), in_order, autojunk=False)
    for block in ordering.get_matching_blocks():
        kept.update(in_order[block.b:block.b + block.size])

    result: list[SectionChange] = []
    used = set(index for index in matched if index is not None)
    pending_removed = [index for index in range(len(old.sections)) if index not in used]

    def flush_removed(before: int | None) -> None:
        while pending_removed and (before is None or pending_removed[0] < before):
            section = old.sections[pending_removed.pop(0)]
            result.append(SectionChange("removed", section.heading, section.anchor,
                                        paragraphs=[ParagraphChange("removed", [Piece("del", paragraph)])
                                                    for paragraph in section.paragraphs]))

    for section, old_index in zip(new.sections, matched):
        if old_index is None:
            result.append(SectionChange("added", section.heading, section.anchor,
                                        paragraphs=[ParagraphChange("added", [Piece("ins", paragraph)])
                                                    for paragraph in section.paragraphs]))
            continue
        if old_index in kept:
            flush_removed(old_index)
        before = old.sections[old_index]
        moved = old_index not in kept
        if before.paragraphs == section.paragraphs:
            result.append(SectionChange("unchanged", section.heading, section.anchor, moved=moved,
                                        paragraphs=[ParagraphChange("folded", folded=list(section.paragraphs))]))
        else:
            result.append(SectionChange("changed", section.heading, section.anchor, moved=moved,
                                        paragraphs=_paragraphs(before.paragraphs, section.paragraphs, budget)))
    flush_removed(None)
    added = [(key, text) for key, text in new.references.items() if key not in old.references]
    removed = [(key, text) for key, text in old.references.items() if key not in new.references]
    title = (old_title, new_title) if old_title != new_title else None
    return Comparison(result, added, removed, title)


def citation_labels(*documents: Readable) -> dict[str, str]:
    labels: dict[str, str] = {}
    for document in documents:
        for key, text in document.references.items():
            labels.setdefault(key, reference_label(text))
    return labels


def shown(text: str, labels: dict[str, str]) -> str:
    """Text with each citation key as the reference's short name: ``[@kolb2008]`` -> ``[Kolb HJ 2008]``."""
    return CITATION.sub(lambda match: f"[{labels.get(match.group(1), match.group(1))}]", text)
