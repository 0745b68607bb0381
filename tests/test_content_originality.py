"""The shipped content is written in our own words: no run of 12 or more words (numbers aside)
is shared with the source material in ../shared/sources/ (the article the project grew from and
the writers' fact sheet). A paper's own title, quoted in a reference record, is not prose and is
left out."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT.parent / "shared" / "sources"
CONTENT = ROOT / "content"
RUN = 12
WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
TITLE_LINE = re.compile(r"^\s*(?:-\s+)?(?:title|container-title):")


def words_with_lines(text: str) -> list[tuple[str, int]]:
    """The words of a text, lowercased, with their line numbers; numbers are left out."""
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        found.extend((match.group().lower().replace("’", "'"), number) for match in WORD.finditer(line))
    return found


def runs(words: list[str]) -> set[tuple[str, ...]]:
    return {tuple(words[i:i + RUN]) for i in range(len(words) - RUN + 1)}


def shared_runs(text: str, source_runs: set[tuple[str, ...]], titles_are_quotes: bool = False) -> list[tuple[int, str]]:
    """(line, phrase) for each place where a run of RUN words also stands in the sources."""
    tokens = words_with_lines(text)
    if titles_are_quotes:
        quoted = {number for number, line in enumerate(text.splitlines(), start=1) if TITLE_LINE.match(line)}
        tokens = [(word, line) for word, line in tokens if line not in quoted]
    words = [word for word, _line in tokens]
    hits, last_end = [], -1
    for i in range(len(words) - RUN + 1):
        if tuple(words[i:i + RUN]) in source_runs and i > last_end:
            hits.append((tokens[i][1], " ".join(words[i:i + RUN])))
            last_end = i + RUN - 1
    return hits


def test_shared_run_is_found_across_lines_and_numbers():
    source = runs([w for w, _ in words_with_lines(
        "In 2017 the first CAR T cell product was approved in the United States for children with leukaemia")])
    text = "Intro.\nthe first CAR T 12 cell product was approved in the\nUnited States for children today"
    assert shared_runs(text, source) == [(2, "the first car t cell product was approved in the united states")]
    assert shared_runs("The first CAR T product reached patients in the US in 2017.", source) == []


@pytest.mark.skipif(not SOURCES.is_dir(), reason="../shared/sources/ is not beside this checkout")
def test_no_content_file_shares_twelve_words_with_the_sources():
    source_runs: set[tuple[str, ...]] = set()
    for path in sorted(SOURCES.iterdir()):
        if path.suffix in {".md", ".txt"} and path.name != "README.md":
            source_runs |= runs([w for w, _ in words_with_lines(path.read_text(encoding="utf-8"))])
    problems = []
    for path in sorted(CONTENT.rglob("*")):
        if path.suffix in {".md", ".yaml"}:
            text = path.read_text(encoding="utf-8")
            for line, phrase in shared_runs(text, source_runs, titles_are_quotes=path.name == "references.yaml"):
                problems.append(f"content/{path.relative_to(CONTENT)}:{line}: \"{phrase}\" is worded as in the sources")
    assert not problems, "Rewrite these in your own words:\n" + "\n".join(problems)
