"""Hashes that decide what a load redoes and name what it stored.

- :class:`DependencyHashes`: an entry's *render hash*, of everything its HTML depends on
  (its source, the rendering code, and what each name it uses resolves to); an entry whose
  render hash is unchanged is not rendered again.
- :func:`entry_digest`, :func:`data_digest`, :func:`version_of`: the *content version*,
  which changes when anything stored changes (ETags and page-cache keys use it).  A quick
  reload recomputes it from the stored digests of the entries it did not touch.
"""

from __future__ import annotations

import hashlib
import json

from .fields import values_of
from .records import ContentSet, EntryRecord
from .rendering import RenderContext, renderer_fingerprint


def glossary_names_hash(content: ContentSet) -> str:
    """Hash of every glossary name: when it changes, every entry's glossary terms are listed again."""
    names = sorted((record.key, name) for record in content.glossary for name in record.names())
    return hashlib.sha256(json.dumps(names).encode()).hexdigest()[:16]


class DependencyHashes:
    """render_hash for every entry of a load, each link target, reference and term described once."""

    def __init__(self, context: RenderContext):
        self.context = context
        self.glossary = {record.key: record for record in context.glossary}
        self.memos: dict[str, dict[str, bytes]] = {"links": {}, "cites": {}, "terms": {}}

    def _link(self, name: str) -> bytes:
        target = self.context.resolve(name)
        return repr((name, target and (target.slug, target.title, sorted(target.section_ids), target.draft,
                                       target.url))).encode()

    def _cite(self, key: str) -> bytes:
        reference = self.context.references.get(key)
        return repr((key, reference and reference.fingerprint())).encode()

    def _term(self, key: str) -> bytes:
        record = self.glossary.get(key)
        target = self.context.targets.get(record.entry) if record and record.entry else None
        return repr((key, record and record.fingerprint(), target and (target.url, target.draft))).encode()

    def render_hash(self, entry: EntryRecord, deps: dict) -> str:
        digest = hashlib.sha256()
        digest.update(renderer_fingerprint().encode())
        digest.update(entry.source_hash.encode())
        digest.update(b"draft" if entry.draft else b"public")
        for kind, describe in (("links", self._link), ("cites", self._cite), ("terms", self._term)):
            memo = self.memos[kind]
            for name in deps[kind]:
                part = memo.get(name)
                if part is None:
                    part = memo[name] = describe(name)
                digest.update(part)
        return digest.hexdigest()


def entry_digest(slug: str, render_hash: str, entry: EntryRecord) -> str:
    """What one entry adds to the content version: its render hash, every front-matter field, its path."""
    return hashlib.sha256(repr((slug, render_hash, values_of(entry), entry.path)).encode()).hexdigest()[:24]


def data_digest(content: ContentSet) -> str:
    """What the data files (categories, references, glossary, timeline) add to the content version."""
    digest = hashlib.sha256()
    for key in sorted(content.categories):
        digest.update(repr(content.categories[key]).encode())
    for key in sorted(content.references):
        digest.update(content.references[key].fingerprint().encode())
    for record in content.glossary:
        digest.update(record.fingerprint().encode())
    for step in content.timeline:
        digest.update(repr(step).encode())
    return digest.hexdigest()[:24]


def version_of(digests: dict[str, str], data: str) -> str:
    """The content version from per-entry digests and the data digest."""
    digest = hashlib.sha256(renderer_fingerprint().encode())
    for slug in sorted(digests):
        digest.update(f"{slug}\0{digests[slug]}\0".encode())
    digest.update(data.encode())
    return digest.hexdigest()[:20]
