"""How words become comparable: the same for entries and for queries (no database)."""

import pytest

from encyclopedia.search.documents import abbreviates, build_document, entry_synonyms
from encyclopedia.search.query import parse
from encyclopedia.search.spelling import WORDS
from encyclopedia.search.snippets import Highlighter, body_snippet
from encyclopedia.search.text import WORD_PATTERN, clean_query, terms, written_part
from encyclopedia.search.typos import distance, skeleton


@pytest.mark.parametrize("one, other", [
    ("CAR-T cells", "car t cell"),
    ("Leukaemia", "leukemia"),
    ("tumours", "Tumor"),
    ("haematology", "hematology"),
    ("oesophagus", "esophagus"),
    ("paediatric", "pediatric"),
    ("anaesthesia", "anesthesia"),
    ("randomised", "randomized"),
    ("organisation", "organizations"),
    ("centre", "center"),
    ("litres", "liter"),
    ("colour", "color"),
    ("behaviour", "behavior"),
    ("leucocytes", "leukocyte"),
    ("diarrhoea", "diarrhea"),
    ("therapies", "therapy"),
    ("viruses", "virus"),
    ("rashes", "rash"),
    ("headaches", "headache"),
    ("Sjögren", "sjogren"),
    ("IFN-γ", "ifn gamma"),
    ("patient’s", "patients"),
    ("grey", "gray"),
    ("making", "make"),
    ("infused", "infusion"),
    ("treated", "treat"),
])
def test_spellings_of_the_same_words_give_the_same_terms(one, other):
    assert terms(one) == terms(other)


def test_every_written_form_contains_the_part_snippets_look_for(settings):
    """Snippets skip text lacking a term's written part: it must be in every way of writing the term."""
    words = {word for path in (settings.BASE_DIR / "content").glob("*.md")
             for word in WORD_PATTERN.findall(path.read_text(encoding="utf-8")) if word.isascii()}
    words |= set(WORDS) | set(WORDS.values()) | {"centred", "centring", "travelled", "leucaemias", "haematological",
                                                 "anaesthetists", "oesophageal", "organizations", "paralysed",
                                                 "dying", "lying", "tying", "vying", "cries", "used", "cars", "hopping",
                                                 "aged", "eyed", "ties", "skies", "news"}
    for word in words:
        for term in terms(word):
            part = written_part(term)
            assert part is None or part in word.lower().replace("'", "").replace("’", ""), (word, term, part)


@pytest.mark.parametrize("words", [["tocilizumab"], ["car", "t"], ["fever", "cytokine"], ["patient"], ["obrien"],
                                   ["leukemia"], ["cell", "therapy"], ["ifn", "gamma"], ["don"], ["6"], ["ve"]])
def test_marks_are_the_same_whether_every_word_is_read_or_only_those_holding_a_part(settings, words):
    """Snippets read only the words that hold a searched term's written part (or an apostrophe):
    that finds exactly what reading every word finds, on every entry's text."""
    slot_terms = [(index, tuple(terms(word)), False) for index, word in enumerate(words)]
    texts = [path.read_text(encoding="utf-8") for path in sorted((settings.BASE_DIR / "content").glob("*.md"))]
    texts.append("In 1998 Dr O'Brien's team gave the cells; O’Brien said IFN-γ rose by day 6.")
    texts.append("Dr Ng'ang'a agreed with O'Brien: I've seen it, rock'n'roll, by day 6.")  # plain ASCII
    for text in texts:
        quick, full = Highlighter(slot_terms), Highlighter(slot_terms)
        full.pieces = None
        assert quick.spans(text) == full.spans(text)


def test_a_word_joined_by_an_apostrophe_is_marked_deep_in_a_body():
    highlighter = Highlighter([(0, tuple(terms("OBrien")), False)])
    body = "Plain words about cells. " * 200 + "Then Dr O'Brien wrote the first report."
    snippet = body_snippet(highlighter, body, frozenset({0}))
    assert snippet is not None and "<mark>O&#x27;Brien</mark>" in snippet.html


@pytest.mark.parametrize("one, other", [
    ("cell", "cellulitis"), ("hour", "hor"), ("four", "for"), ("lupus", "lupu"), ("crs", "cr"), ("car", "care"),
    ("t", "tea"),
])
def test_different_words_stay_apart(one, other):
    assert terms(one) != terms(other)


def test_query_words_keep_compounds_together_and_mark_common_words():
    plan = parse("What is CAR-T?")
    assert [unit.raw for unit in plan.units] == ["What", "is", "CAR-T"]
    assert [unit.stop for unit in plan.units] == [True, True, False]
    assert plan.units[2].terms == ("car", "t") and plan.units[2].joined == "cart"


@pytest.mark.parametrize("hostile", ['"', "*", "NEAR", "-", ":", "'", "", " ", "\x00", "a" * 1000,
                                     "\ud800", "AND OR NOT", "crs*", "title:crs", "'; DROP TABLE x; --",
                                     "\u202etext", "<script>alert(1)</script>"])
def test_any_query_text_parses(hostile):
    plan = parse(hostile)
    assert len(plan.text) <= 200
    assert all(term.isalnum() for unit in plan.units for term in unit.terms)


def test_queries_are_cut_to_200_characters_and_one_line():
    assert clean_query("a\nb\tc" + "x" * 500, 200) == "a b c" + "x" * 195


def test_misspellings_are_near_in_sound_or_edits():
    assert skeleton("leukaferesis") == skeleton("leukapheresis")
    assert distance("tumer", "tumor") == 1
    assert distance("leukemai", "leukemia") == 1  # a transposition is one edit
    assert distance("cell", "cytokine", 2) == 3


def test_acronym_aliases_are_synonyms_of_the_names_they_abbreviate():
    assert abbreviates("GvHD", "graft-versus-host disease")
    assert abbreviates("ICANS", "immune effector cell-associated neurotoxicity syndrome")
    assert not abbreviates("CRS", "CRS grading")
    document = build_document(7, "Graft-versus-host disease", ["GvHD", "acute GvHD", "GVHD grading"], "", "", "")
    groups = {}
    for key, group in entry_synonyms(document):
        groups.setdefault(group, set()).add(key)
    assert {"gvhd", " ".join(terms("graft versus host disease"))} in groups.values()


def test_a_title_with_a_name_in_brackets_gives_both_names():
    document = build_document(3, "Collecting the cells (leukapheresis)", [], "", "", "")
    assert {name.display for name in document.names} == {"Collecting the cells (leukapheresis)",
                                                           "Collecting the cells", "leukapheresis"}
    assert (" ".join(terms("leukapheresis")), "e3:p") in entry_synonyms(document)
