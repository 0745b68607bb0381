"""The glossary pattern, grouped by first letter for speed, finds exactly what one flat list of names finds."""

from __future__ import annotations

import random
import re

from django.conf import settings

from encyclopedia.loader import read_content
from encyclopedia.mdx.glossary import _term_pattern, compile_glossary
from encyclopedia.names import fold_name as _fold
from encyclopedia.records import GlossaryRecord


def flat_pattern(glossary: tuple) -> re.Pattern:
    """The reference: every name in one alternation, longest first."""
    alternatives = []
    for record in glossary:
        for name in record.names():
            case_sensitive = name == record.abbreviation and any(ch.isupper() for ch in name)
            alternatives.append((len(name), _term_pattern(name, case_sensitive)))
    alternatives.sort(key=lambda item: -item[0])
    return re.compile(r"(?<![\w-])(?:" + "|".join(p for _, p in alternatives) + r")(?![\w])")


def matches(pattern: re.Pattern, text: str) -> list[tuple[int, str]]:
    return [(match.start(), match.group()) for match in pattern.finditer(text)]


def test_grouped_pattern_matches_like_the_flat_one_on_the_shipped_content():
    content = read_content(settings.BASE_DIR / "content")
    glossary = tuple(content.glossary)
    grouped, _exact, _folded = compile_glossary(glossary)
    flat = flat_pattern(glossary)
    found = 0
    for entry in content.entries.values():
        expected = matches(flat, entry.body)
        assert matches(grouped, entry.body) == expected, entry.slug
        found += len(expected)
    assert found > 100


def test_grouped_pattern_matches_like_the_flat_one_on_tricky_names():
    glossary = (
        GlossaryRecord("car", "Chimeric antigen receptor", "A receptor.", abbreviation="CAR"),
        GlossaryRecord("car-t", "CAR T cell", "A cell.", also=("CAR-T cell", "car t")),
        GlossaryRecord("t-cell", "T cell", "A white cell.", also=("T-lymphocyte",)),
        GlossaryRecord("strasse", "Straße", "A street.", also=("ßtest",)),
        GlossaryRecord("kelvin", "Kelvin unit", "A unit.", abbreviation="K"),
        GlossaryRecord("il6", "Interleukin 6", "A signal.", abbreviation="IL-6", also=("4-1BB", "İstanbul")),
    )
    grouped, _exact, _folded = compile_glossary(glossary)
    flat = flat_pattern(glossary)
    words = ["CAR", "car", "Car", "CAR T cell", "car-t cells", "T cell", "t-cells", "T-lymphocytes", "Straße",
             "STRASSE", "ßtest", "K", "\u212a", "kelvin units", "IL-6", "il-6", "4-1BB", "İstanbul", "istanbul",
             "cell", "the", "-", "x-CAR", "CARs", "IL-6s", "T\tcell", "T\n cell"]
    chooser = random.Random(8)
    for _ in range(300):
        text = " ".join(chooser.choice(words) for _ in range(chooser.randint(1, 12)))
        assert matches(grouped, text) == matches(flat, text), text
    assert _fold("CAR  T-cell") == "car t cell"
