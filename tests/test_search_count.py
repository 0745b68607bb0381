"""PostgreSQL counts matches of phrases mixed with plain words without reading every vector,
and gets the same number as the plain count."""

from __future__ import annotations

import pytest
from django.db import connection

from encyclopedia.search.backends import get_backend
from encyclopedia.search.query import Alternative
from encyclopedia.search.text import terms

pytestmark = [pytest.mark.django_db,
              pytest.mark.skipif(connection.vendor != "postgresql", reason="the PostgreSQL backend's own counting")]


def phrase(text: str) -> Alternative:
    return Alternative(tuple(terms(text)), phrase=True)


def anywhere(text: str) -> Alternative:
    return Alternative(tuple(terms(text)), phrase=False)


CASES = [
    [phrase("cytokine release"), phrase("fever")],
    [phrase("release cytokine"), phrase("fever")],  # the words, but not in this order
    [phrase("immune cells"), phrase("grading")],
    [phrase("no such words here"), phrase("drip")],
    [phrase("cytokine release"), anywhere("four grades")],
    [phrase("cytokine release")],
    [phrase("fever"), anywhere("back overview")],
]


@pytest.mark.parametrize("alternatives", CASES, ids=lambda case: " | ".join(" ".join(a.terms) for a in case))
def test_counting_phrases_beside_plain_words_agrees_with_the_plain_count(content, load, alternatives):
    content.entry("order", title="Order of words", body="Cytokine words: release, then more [@june2018].\n")
    content.entry("drip", title="A drip", body="The cells go in by drip; cytokine release may follow [@june2018].\n")
    load(content)
    from encyclopedia.search.backends.postgresql import query_literal

    backend = get_backend()
    assert backend.count(alternatives) == backend._count(query_literal(alternatives))
