"""Synthetic content folders for the benchmarks: N entries of realistic size and shape.

    python bench/synthetic.py DIR --entries 1000

Each entry has front matter like the real ones (title, summary, category, aliases,
reviewed), 250 to 3,000 words (median about 800, like content/) in sections of plain
paragraphs, a list or a table now and then, cross-links to other entries (some to a
section), citations on every paragraph, glossary terms in the text, and a "For
clinicians" part.  The words come from the real entries in content/, so word
frequencies and search behave like the real site.  The same seed gives the same folder.
"""

from __future__ import annotations

import argparse
import random
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

STUDY_KEYS = ("guideline", "systematic-review", "randomised-trial", "single-arm-trial", "cohort-registry",
              "case-report", "narrative-review", "laboratory", "regulatory")  # encyclopedia.study_types

ROOT = Path(__file__).resolve().parent.parent
CATEGORIES = ["basics", "cell-types", "cell-sources", "uses", "procedure", "risks", "products", "living-with"]
SECTIONS = ["What it is", "Who it is for", "What happens", "Side effects", "Recovery", "Questions to ask",
            "Costs and access", "Research", "Living with it", "Support"]
LINKED_SECTION = ("How it works", "how-it-works")  # every entry has it, so [[slug#how-it-works]] resolves
FALLBACK_WORDS = ("cell cells immune blood infusion treatment doctor team patient fever risk test week day "
                  "body marrow donor study trial cancer therapy care nurse dose receptor target signal").split()


@dataclass
class Generated:
    root: Path
    slugs: list[str]
    words: int


def vocabulary() -> list[str]:
    """Words of the real entries (bodies only, lower case), most frequent first, repeats kept."""
    words: list[str] = []
    for path in sorted((ROOT / "content").glob("*.md")):
        text = path.read_text(encoding="utf-8").split("\n---\n", 1)[-1]
        text = re.sub(r"\[\[[^\]]*\]\]|\[@[^\]]*\]|[#|*_`{}()\[\]]", " ", text)
        words += [word for word in re.findall(r"[a-z]{2,}", text.lower())]
    return words or FALLBACK_WORDS


class Writer:
    def __init__(self, seed: int):
        self.random = random.Random(seed)
        self.words = vocabulary()

    def sentence(self, low: int = 6, high: int = 18) -> list[str]:
        words = [self.random.choice(self.words) for _ in range(self.random.randint(low, high))]
        words[0] = words[0].capitalize()
        return words

    def title(self, index: int) -> str:
        words = [self.random.choice(self.words) for _ in range(self.random.randint(1, 3))]
        return " ".join(words).capitalize() + f" {index}"


def _front(title: str, summary: str, category: str, aliases: list[str], reviewed: str) -> str:
    data = {"title": title, "summary": summary, "category": category, "aliases": aliases, "reviewed": reviewed}
    return "---\n" + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000) + "---\n"


def _words_for(rng: random.Random) -> int:
    """Entry length in words: log-normal, median ~800, clipped to 250..3,000."""
    return int(min(3000, max(250, rng.lognormvariate(6.7, 0.45))))


def generate(root: Path | str, entries: int, *, seed: int = 1, glossary_terms: int = 150) -> Generated:
    """Write a complete, valid content folder with ``entries`` entries into ``root``."""
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    writer = Writer(seed)
    rng = writer.random
    slugs = [f"entry-{index:05d}" for index in range(entries)]

    (root / "categories.yaml").write_text(yaml.safe_dump({
        key: {"title": key.replace("-", " ").capitalize(), "order": order, "description": f"Entries about {key}."}
        for order, key in enumerate(CATEGORIES, start=1)
    }, sort_keys=False), encoding="utf-8")

    references = [f"ref{index:05d}" for index in range(max(40, entries // 3))]
    (root / "references.yaml").write_text(yaml.safe_dump([
        {"id": key, "type": "article-journal", "study-type": rng.choice(STUDY_KEYS),
         "author": [{"family": writer.random.choice(writer.words).capitalize(), "given": "AB"}
                    for _ in range(rng.randint(1, 6))],
         "title": " ".join(writer.sentence(5, 14)), "container-title": "J Synth Med",
         "issued": rng.randint(1995, 2026), "volume": str(rng.randint(1, 400)), "page": f"{rng.randint(1, 900)}-{rng.randint(901, 999)}",
         "DOI": f"10.5555/synthetic.{key}", "PMID": str(30000000 + index)}
        for index, key in enumerate(references)
    ], sort_keys=False, allow_unicode=True), encoding="utf-8")

    terms = [f"{writer.random.choice(writer.words)} factor {index}" for index in range(glossary_terms)]
    (root / "glossary.yaml").write_text(yaml.safe_dump([
        {"term": term.capitalize(), "definition": " ".join(writer.sentence(8, 20)) + ".",
         **({"entry": rng.choice(slugs)} if slugs and index % 3 == 0 else {})}
        for index, term in enumerate(terms)
    ], sort_keys=False, allow_unicode=True), encoding="utf-8")

    total = 0
    for index, slug in enumerate(slugs):
        body, words = _body(writer, slug, slugs, references, terms)
        total += words
        title = writer.title(index)
        front = _front(title, " ".join(writer.sentence(12, 30)) + ".", CATEGORIES[index % len(CATEGORIES)],
                       [f"{title} alias", f"{slug} other name"], f"2026-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d}")
        (root / f"{slug}.md").write_text(front + body, encoding="utf-8")
    return Generated(root, slugs, total)


def _paragraph(writer: Writer, slugs: list[str], references: list[str], terms: list[str], words: int) -> tuple[str, int]:
    rng = writer.random
    parts: list[str] = []
    count = 0
    while count < words:
        sentence = writer.sentence()
        if terms and rng.random() < 0.15:
            sentence.insert(rng.randint(1, len(sentence)), rng.choice(terms))
        if len(slugs) > 1 and rng.random() < 0.12:
            target = rng.choice(slugs)
            link = f"[[{target}#{LINKED_SECTION[1]}|{' '.join(sentence[-2:])}]]" if rng.random() < 0.3 else f"[[{target}]]"
            sentence.append(link)
        parts.append(" ".join(sentence) + ".")
        count += len(sentence)
    cites = "; ".join(f"@{key}" for key in rng.sample(references, rng.randint(1, 2)))
    return " ".join(parts)[:-1] + f" [{cites}].", count


def _body(writer: Writer, slug: str, slugs: list[str], references: list[str], terms: list[str]) -> tuple[str, int]:
    rng = writer.random
    target = _words_for(rng)
    others = [other for other in slugs if other != slug] or slugs
    blocks: list[str] = []
    total = 0
    headings = rng.sample(SECTIONS, 3)
    heading_plan = [headings[0], LINKED_SECTION[0], *headings[1:], "For clinicians"]
    per_section = max(60, target // len(heading_plan))
    first = True
    for heading in heading_plan:
        if not first:
            blocks.append(f"## {heading}")
        first = False
        written = 0
        while written < per_section:
            kind = rng.random()
            if kind < 0.08:
                items = [" ".join(writer.sentence(4, 10)) for _ in range(rng.randint(3, 6))]
                cite = rng.choice(references)
                blocks.append("\n".join(f"- {item}" for item in items[:-1]) + f"\n- {items[-1]} [@{cite}]")
                written += sum(len(item.split()) for item in items)
            elif kind < 0.11:
                rows = [f"| {' '.join(writer.sentence(1, 3))} | {rng.randint(1, 99)} % | {' '.join(writer.sentence(2, 5))} |"
                        for _ in range(rng.randint(3, 8))]
                blocks.append("| Group | Share | Note |\n|---|---|---|\n" + "\n".join(rows)
                              + f"\n\nSource of the table [@{rng.choice(references)}].")
                written += 5 * len(rows)
            else:
                text, count = _paragraph(writer, others, references, terms, rng.randint(40, 120))
                blocks.append(text)
                written += count
        total += written
    # Two plain cross-links at least, as the content format asks.
    blocks.append(f"See also [[{rng.choice(others)}]] and [[{rng.choice(others)}]] [@{rng.choice(references)}].")
    return "\n\n".join(blocks) + "\n", total


def change_one(root: Path | str, slug: str, note: str = "A sentence added to change this entry") -> Path:
    """Append a cited sentence to one entry's body (a one-file edit, as an editor makes)."""
    path = Path(root) / f"{slug}.md"
    text = path.read_text(encoding="utf-8")
    references = yaml.safe_load((Path(root) / "references.yaml").read_text(encoding="utf-8"))
    path.write_text(text + f"\n{note} [@{references[0]['id']}].\n", encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--entries", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    options = parser.parse_args()
    generated = generate(options.folder, options.entries, seed=options.seed)
    print(f"{len(generated.slugs)} entries, {generated.words:,} words in {generated.root}")


if __name__ == "__main__":
    main()
