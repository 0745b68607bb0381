"""Search finds an entry from the words readers use around its names (issue 13 §5): a title or
alias inside a sentence or a question, and the glossary definition of a term the entry
explains.  The same tests run on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from encyclopedia.search import search

from .contentkit import GLOSSARY

pytestmark = pytest.mark.django_db

TOCILIZUMAB = {"term": "Tocilizumab", "definition": "A medicine that blocks the receptor for IL-6, a messenger "
               "protein that drives fever and inflammation.", "entry": "crs", "also": ["Actemra"]}


def _slugs(query: str) -> list[str]:
    results = search(query)
    slugs = [entry["url"].split("/")[2] for entry in results.go_to]
    return list(dict.fromkeys(slugs + [hit.slug for hit in results.hits]))


def _add_entries(content) -> None:
    content.entry("infusion-day", title="Infusion day", aliases=["CAR-T infusion", "getting the cells back"],
                  summary="The prepared cells are given through a drip into a vein.",
                  body="The drip takes a short time. Your own cells go back in [@june2018].\n")
    content.entry("who-can-have", title="Who can have cell therapy", aliases=["can I have CAR T", "too old for CAR T"],
                  summary="Whether CAR T suits you depends on your illness and your strength.",
                  body="Age on its own does not rule it out; being 80 years old is not a reason to say no [@june2018].\n")
    content.entry("own-cells", title="Autologous cells", aliases=["using my own cells", "own cells"],
                  summary="Cells collected from the patient and given back.",
                  body="CAR T cells are made from a patient's cells [@june2018].\n")
    content.entry("daily-life", title="Daily life after CAR T", aliases=["can I travel after CAR T", "driving after CAR T"],
                  summary="What you can do in the months after CAR T.",
                  body="Stay near the centre at first [@june2018].\n")
    content.entry("approvals", title="Approvals around the world", aliases=["CAR T in other countries"],
                  summary="Where CAR T is approved.",
                  body="Some people go abroad for CAR T; travelling abroad costs money [@june2018].\n")
    for index in range(6):  # CAR T in every entry, as on the real site
        content.entry(f"topic-{index}", title=f"Topic {index} of CAR T", summary="About CAR T cells.",
                      body=f"CAR T cells, travel and a drip, topic {index} [@june2018].\n")


@pytest.fixture
def loaded(content, load):
    _add_entries(content)
    content.write_yaml("glossary.yaml", [*GLOSSARY, TOCILIZUMAB])
    load(content)
    return content


@pytest.mark.parametrize("query, slug", [
    ("how long does the car-t infusion take", "infusion-day"),
    ("does car t use my own cells", "own-cells"),
    ("can I have car t if I am 80", "who-can-have"),
    ("am i too old for car t at 80", "who-can-have"),
])
def test_an_alias_inside_a_sentence_or_question_finds_its_entry_first(loaded, query, slug):
    assert _slugs(query)[0] == slug


def test_an_alias_held_with_one_other_word_inside_still_counts(loaded):
    assert _slugs("can i travel abroad after car t")[0] == "daily-life"


def test_a_name_nearly_every_entry_uses_earns_almost_nothing(loaded):
    assert _slugs("car t drip")[0] == "infusion-day"  # "CAR T" names many entries; the drip is telling


def test_words_of_a_glossary_definition_find_the_entry_its_term_names(loaded):
    assert _slugs("medicine that blocks the receptor for IL-6")[0] == "crs"
    assert _slugs("actemra")[0] == "crs"  # a glossary term's other form


def test_a_changed_glossary_definition_is_searchable_after_the_next_load(loaded, load):
    assert "crs" not in _slugs("zebrafinch serum")
    changed = dict(TOCILIZUMAB, definition="A zebrafinch serum medicine.")
    loaded.write_yaml("glossary.yaml", [*GLOSSARY, changed])
    load(loaded)
    assert _slugs("zebrafinch serum")[0] == "crs"
    assert "crs" not in _slugs("blocks the receptor")


def test_a_long_question_reads_its_names_once_and_still_finds_the_alias_and_the_exact_name(loaded):
    question = "please tell me how long does the car-t infusion take for someone like me who is worried"
    with CaptureQueriesContext(connection) as queries:
        slugs = _slugs(question)
    names = [query["sql"] for query in queries.captured_queries if '"encyclopedia_searchname"' in query["sql"]]
    assert slugs[0] == "infusion-day"
    assert len(names) == 1  # "Go to" and the names the question holds: one statement
    assert search("CAR-T infusion").go_to[0]["url"] == "/entries/infusion-day/"
    if connection.vendor == "postgresql":  # hundreds of candidate keys, sent as one array
        assert " = ANY(" in names[0] and names[0].count("', '") < 3
