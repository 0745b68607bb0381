"""The bibliography: CSL-YAML records read into ReferenceRecord, formatted Vancouver style."""

from __future__ import annotations

import re

from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from . import yamlnodes as yn
from .names import did_you_mean
from .records import ReferenceRecord
from .study_types import EXAMPLE, STUDY_TYPES, allowed_list

SAFE_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
DOI_PATTERN = re.compile(r"^10\.\d{4,9}/\S+$")
PMID_PATTERN = re.compile(r"^\d{1,9}$")
URL_PATTERN = re.compile(r"^https?://[^\s<>\"]+$")
MAX_AUTHORS = 6  # Vancouver: list six, then "et al."

FIELDS = {
    "id", "type", "author", "title", "container-title", "issued", "volume", "issue", "page",
    "DOI", "PMID", "URL", "accessed", "note", "editor", "publisher", "language", "abstract",
    "container-title-short", "journalAbbreviation", "ISSN", "PMCID", "study-type",
}


def _initials(given: str) -> str:
    parts = re.split(r"[\s.\-]+", given.strip())
    letters = []
    for part in parts:
        if not part:
            continue
        if part.isupper() and len(part) <= 3:  # already initials, e.g. "CH"
            letters.append(part)
        else:
            letters.append(part[0].upper())
    return "".join(letters)


def _author_name(node, index: int) -> str:
    if isinstance(node, ScalarNode):
        return yn.text(node, f"author {index}")
    fields = {key: value for key, _key_node, value in yn.mapping_items(node, f"author {index}")}
    if "literal" in fields:
        return yn.text(fields["literal"], "literal")
    if "family" not in fields:
        raise yn.NodeError(yn.line(node), f"author {index} needs `family` (and `given`), or `literal` for an organisation")
    family = yn.text(fields["family"], "family")
    given = yn.text(fields["given"], "given") if "given" in fields else ""
    suffix = yn.text(fields["suffix"], "suffix") if "suffix" in fields else ""
    name = f"{family} {_initials(given)}".strip()
    return f"{name} {suffix}".strip()


def _fields(node) -> tuple[str, dict]:
    """(the record's id, its fields by name), with the checks every record must pass."""
    if not isinstance(node, MappingNode):
        raise yn.NodeError(yn.line(node), "each reference must be a record starting `- id: …`")
    fields = {}
    for key, key_node, value in yn.mapping_items(node, "a reference"):
        if key not in FIELDS:
            raise yn.NodeError(yn.line(key_node), f"unknown reference field `{key}`; CSL-YAML fields are "
                               "id, type, study-type, author, title, container-title, issued, volume, issue, page, DOI, PMID, URL, accessed, "
                               f"note{did_you_mean(key, FIELDS)}")
        fields[key] = value
    if "id" not in fields:
        raise yn.NodeError(yn.line(node), "a reference needs an `id`, such as `id: june2018`")
    ref_id = yn.text(fields["id"], "id")
    if not SAFE_ID.match(ref_id):
        raise yn.NodeError(yn.line(fields["id"]), f"reference id `{ref_id}` must use lowercase letters, digits and "
                           "hyphens and start with a letter or digit, such as `june2018`")
    where = f"reference `{ref_id}`"
    for required in ("title", "issued"):
        if required not in fields:
            what = "a title" if required == "title" else "a year (`issued: 2018`)"
            raise yn.NodeError(yn.line(node), f"{where} has no `{required}`: every reference needs {what}")
    return ref_id, fields


def _study_type(fields: dict, node, where: str) -> str:
    """The record's ``study-type``: required, and one of the vocabulary's keys."""
    if "study-type" not in fields:
        raise yn.NodeError(yn.line(node), f"{where} has no `study-type`: say what kind of evidence it is, "
                           f"one of {allowed_list()} (e.g. `{EXAMPLE}`)")
    value = yn.text(fields["study-type"], "study-type")
    if value not in STUDY_TYPES:
        raise yn.NodeError(yn.line(fields["study-type"]), f"{where}: `study-type: {value}` is not a study type"
                           f"{did_you_mean(value, STUDY_TYPES)}; use one of {allowed_list()}")
    return value


def _accessed(fields: dict) -> str:
    if "accessed" not in fields:
        return ""
    if isinstance(fields["accessed"], MappingNode):
        return str(yn.year(fields["accessed"], "accessed"))
    return yn.date(fields["accessed"], "accessed").isoformat()


def read_reference(node) -> ReferenceRecord:
    """One CSL-YAML record; NodeError names the line of what is wrong."""
    ref_id, fields = _fields(node)
    where = f"reference `{ref_id}`"
    study_type = _study_type(fields, node, where)

    def optional(name: str) -> str:
        return yn.scalar_text(fields[name], name) if name in fields else ""

    authors: list[str] = []
    if "author" in fields:
        author_node = fields["author"]
        items = author_node.value if isinstance(author_node, SequenceNode) else [author_node]
        authors = [_author_name(item, index) for index, item in enumerate(items, start=1)]
    doi = optional("DOI").removeprefix("https://doi.org/").removeprefix("doi:")
    if doi and not DOI_PATTERN.match(doi):
        raise yn.NodeError(yn.line(fields["DOI"]), f"{where}: `{doi}` is not a DOI; a DOI looks like 10.1126/science.aar6711")
    pmid = optional("PMID")
    if pmid and not PMID_PATTERN.match(pmid):
        raise yn.NodeError(yn.line(fields["PMID"]), f"{where}: PMID `{pmid}` must be digits only, such as \"29567707\"")
    url = optional("URL")
    if url and not URL_PATTERN.match(url):
        raise yn.NodeError(yn.line(fields["URL"]), f"{where}: URL must start with https:// or http://")
    ref_type = yn.text(fields["type"], "type") if "type" in fields else "article-journal"
    accessed = _accessed(fields)
    if ref_type == "webpage" and url and not accessed:
        raise yn.NodeError(yn.line(node), f"{where} is a web page: add `accessed: YYYY-MM-DD`, the day you read it")
    return ReferenceRecord(
        id=ref_id,
        type=ref_type,
        title=yn.text(fields["title"], "title", max_length=600),
        year=yn.year(fields["issued"], "issued"),
        authors=tuple(authors),
        container=yn.text(fields["container-title"], "container-title") if "container-title" in fields else "",
        volume=optional("volume"),
        issue=optional("issue"),
        page=optional("page"),
        doi=doi,
        pmid=pmid,
        url=url,
        accessed=accessed,
        note=yn.text(fields["note"], "note") if "note" in fields else "",
        study_type=study_type,
        line=yn.line(node),
    )


def _author_list(authors: tuple[str, ...]) -> str:
    names = [name for name in authors if name.rstrip(".").lower() != "et al"]
    et_al = len(names) < len(authors) or len(names) > MAX_AUTHORS
    shown = ", ".join(names[:MAX_AUTHORS])
    return f"{shown}, et al" if et_al and shown else shown


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "?", "!")) else text + "."


def vancouver_text(ref: ReferenceRecord) -> str:
    """The reference as plain text, Vancouver style (as medical journals cite)."""
    parts = []
    authors = _author_list(ref.authors)
    if authors:
        parts.append(_sentence(authors))
    if ref.type == "webpage":
        parts.append(_sentence(f"{ref.title} [Internet]"))
        if ref.container and ref.container not in authors:
            parts.append(_sentence(ref.container))
        cited = f" [cited {ref.accessed}]" if ref.accessed else ""
        parts.append(_sentence(f"{ref.year}{cited}"))
    else:
        parts.append(_sentence(ref.title))
        source = ref.container
        detail = f"{ref.year}"
        if ref.volume:
            detail += f";{ref.volume}"
            if ref.issue:
                detail += f"({ref.issue})"
        if ref.page:
            detail += f":{ref.page}"
        parts.append(_sentence(f"{source}. {detail}" if source else detail))
    if ref.note:
        parts.append(_sentence(ref.note))
    return " ".join(parts)
