"""Rules about how entries connect: cross-links out, links in, and unambiguous names."""

from __future__ import annotations

from typing import Iterator

from ..build import Prepared
from ..errors import Problem
from ..names import fold_name

MIN_LINKS_OUT = 2


def link_graph(prepared: Prepared) -> dict[str, set[str]]:
    """slug -> the other entries it cross-links to (as rendered, or as written if rendering failed)."""
    graph: dict[str, set[str]] = {}
    for slug in prepared.content.entries:
        result = prepared.rendered.get(slug)
        if result is not None:
            targets = {target for target, _section in result.links}
        else:
            resolved = (prepared.context.resolve(name) for name in prepared.dep_keys.get(slug, {}).get("links", ()))
            targets = {target.slug for target in resolved if target is not None}
        graph[slug] = targets - {slug}
    return graph


def too_few_links(prepared: Prepared) -> Iterator[Problem]:
    for slug, targets in sorted(link_graph(prepared).items()):
        if len(targets) < MIN_LINKS_OUT:
            entry = prepared.content.entries[slug]
            count = "no other entry" if not targets else "only one other entry"
            yield Problem(entry.path, entry.body_line,
                          f"the entry links to {count}: link to at least {MIN_LINKS_OUT} related entries with "
                          "[[slug]] or [[slug|link text]] so readers can find their way", "warning")


def orphans(prepared: Prepared) -> Iterator[Problem]:
    """Published entries that no other published entry links to."""
    content = prepared.content
    if content.broken:
        return  # an entry that could not be read may link to them: do not guess
    linked: set[str] = set()
    for slug, targets in link_graph(prepared).items():
        if not content.entries[slug].draft:
            linked |= targets
    for slug, entry in sorted(content.entries.items()):
        if not entry.draft and slug not in linked:
            yield Problem(entry.path, 1,
                          f"no other entry links to `{slug}` (an orphan): add [[{slug}]] where a related entry "
                          "mentions its subject, so readers can reach it", "warning")


# Pairs the loader already refuses (an alias or old address claimed twice, or equal to a slug or title).
_LOADER_REFUSES = {frozenset({"slug", "alias"}), frozenset({"alias"}), frozenset({"alias", "title"}),
                   frozenset({"slug", "redirect_from"}), frozenset({"redirect_from"})}
_KIND = {"slug": "file name", "title": "title", "alias": "alias", "redirect_from": "old address (redirect_from)"}


def duplicate_names(prepared: Prepared) -> Iterator[Problem]:
    """A title, alias or old address that leads to two entries (what the loader does not already refuse)."""
    content = prepared.content
    refused = {(problem.path, problem.line) for problem in content.problems}
    claims: dict[str, list[tuple[str, str, str]]] = {}  # folded name -> [(slug, kind, name as written)]
    for slug, entry in sorted(content.entries.items()):
        names = [("slug", slug), ("title", entry.title)]
        names += [("alias", alias) for alias in entry.aliases]
        names += [("redirect_from", old) for old in entry.redirect_from]
        for kind, name in names:
            claims.setdefault(fold_name(name), []).append((slug, kind, name))
    for claimants in claims.values():
        first_slug, first_kind, _first_name = claimants[0]
        for slug, kind, name in claimants[1:]:
            if slug == first_slug or frozenset({kind, first_kind}) in _LOADER_REFUSES:
                continue
            entry = content.entries[slug]
            line = 1 if kind == "slug" else entry.line_of("aliases" if kind == "alias" else kind)
            if (entry.path, line) in refused:
                continue
            yield Problem(entry.path, line,
                          f"`{name}` (its {_KIND[kind]}) is also the {_KIND[first_kind]} of entry `{first_slug}`: "
                          "a title, alias or old address should lead to one entry only; change one of them", "warning")
