"""Build content folders for tests: entries, categories, references and glossary."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from pathlib import Path

import yaml

CATEGORIES = {
    "basics": {"title": "The basics", "order": 1, "description": "What it is."},
    "risks": {"title": "Risks", "order": 2, "description": "What can go wrong."},
}
REFERENCES = [
    {"id": "june2018", "type": "article-journal", "study-type": "narrative-review",
     "author": [{"family": "June", "given": "CH"}, {"family": "O'Connor", "given": "RS"}],
     "title": "CAR T cell immunotherapy for human cancer", "container-title": "Science", "issued": 2018,
     "volume": "359", "issue": "6382", "page": "1361-1365", "DOI": "10.1126/science.aar6711", "PMID": "29567707"},
    {"id": "hartmann2017", "type": "article-journal", "study-type": "narrative-review",
     "author": [{"family": "Hartmann", "given": "J"}],
     "title": "Clinical development of CAR T cells", "container-title": "EMBO Mol Med", "issued": 2017,
     "DOI": "10.15252/emmm.201607485", "PMID": "28765140"},
    {"id": "fda-list", "type": "webpage", "study-type": "regulatory", "author": [{"literal": "U.S. Food and Drug Administration"}],
     "title": "Approved Cellular and Gene Therapy Products", "issued": 2025,
     "URL": "https://www.fda.gov/example", "accessed": "2026-11-25"},
]
GLOSSARY = [
    {"term": "Cytokine release syndrome", "abbreviation": "CRS",
     "definition": "A whole-body reaction to infused immune cells.", "entry": "crs"},
    {"term": "Chimeric antigen receptor", "abbreviation": "CAR", "definition": "A man-made receptor."},
]


@dataclass
class ContentFolder:
    root: Path

    @classmethod
    def minimal(cls, root: Path) -> "ContentFolder":
        folder = cls(root)
        root.mkdir(parents=True, exist_ok=True)
        folder.write_yaml("categories.yaml", CATEGORIES)
        folder.write_yaml("references.yaml", REFERENCES)
        folder.write_yaml("glossary.yaml", GLOSSARY)
        folder.entry("overview", title="Immune cell infusion", category="basics",
                     aliases=["immunocell infusion", "adoptive cell therapy"],
                     body="Immune cells are given by drip [@june2018]. See [[crs]].\n\n"
                          "## How it works\n\nThe cells find the target [@hartmann2017].\n")
        folder.entry("crs", title="Cytokine release syndrome", category="risks", aliases=["CRS", "cytokine storm"],
                     body="A fever after the infusion [@june2018]. Back to [[overview]].\n\n"
                          "## Grading\n\nFour grades [@june2018; @hartmann2017].\n")
        return folder

    def path(self, name: str) -> Path:
        return self.root / name

    def write(self, name: str, text: str) -> Path:
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n") if text.startswith("\n") else text, encoding="utf-8")
        return path

    def write_bytes(self, name: str, data: bytes) -> Path:
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return path

    def write_yaml(self, name: str, data) -> Path:
        return self.write(name, yaml.safe_dump(data, sort_keys=False, allow_unicode=True))

    def entry(self, slug: str, *, title: str = "An entry", summary: str = "A short plain summary.",
              category: str = "basics", reviewed: str = "2026-11-01", body: str = "Some text [@june2018].\n",
              folder: str = "", extra: str = "", **front) -> Path:
        lines = ["---", f"title: {yaml.safe_dump(title, default_style=chr(34)).strip()}",
                 f"summary: {yaml.safe_dump(summary, default_style=chr(34)).strip()}",
                 f"category: {category}", f"reviewed: {reviewed}"]
        for key, value in front.items():
            # A bare scalar (draft=True) is dumped with YAML's "..." end marker, which would end the front matter.
            lines.append(f"{key}: {yaml.safe_dump(value, default_flow_style=True).removesuffix(chr(10)).removesuffix('...').strip()}")
        if extra:
            lines.append(extra.rstrip("\n"))
        lines.append("---")
        name = f"{folder}/{slug}.md" if folder else f"{slug}.md"
        return self.write(name, "\n".join(lines) + "\n" + body)

    def remove(self, name: str) -> None:
        (self.root / name).unlink()
