"""How names are compared, made and suggested: the one home of name folding.

- :func:`fold_name`: entry slugs, titles, aliases, old addresses and glossary names are
  compared folded (case, hyphens, underscores and spacing do not matter).
- :func:`glossary_key`: the anchor of a glossary term on ``/glossary/``.
- :func:`fold_word`: a search word without case, accents or apostrophes.
- :func:`did_you_mean`: the hint every "no such …" message ends with.
- :data:`SLUG_PATTERN` and :func:`slug_problem`: what an entry's file name may be.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from functools import lru_cache

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_SEPARATORS = re.compile(r"[-_\s]+")
_NOT_KEY = re.compile(r"[^a-z0-9]+")


def fold_name(name: str) -> str:
    """How aliases, slugs and glossary names are compared: case, hyphens and spacing do not matter."""
    return " ".join(_SEPARATORS.sub(" ", name.casefold()).split())


def glossary_key(term: str) -> str:
    """A term's anchor on the glossary page: ASCII, lowercase, hyphens (``"Cytokine storm"`` → ``cytokine-storm``)."""
    ascii_text = unicodedata.normalize("NFC", term).lower().encode("ascii", "ignore").decode()
    return _NOT_KEY.sub("-", ascii_text).strip("-") or "term"


def did_you_mean(word: str, choices) -> str:
    """`` (did you mean `x`?)`` for the closest of ``choices``, or an empty string."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean `{close[0]}`?)" if close else ""


def slug_problem(slug: str) -> str | None:
    """Why ``slug`` cannot be an entry's address (with a suggestion), or None."""
    if not SLUG_PATTERN.match(slug):
        suggestion = re.sub(r"[^a-z0-9]+", "-", slug.lower()).strip("-") or "my-entry"
        return (
            f"`{slug}` is not a valid slug: use lowercase ASCII letters, digits and single hyphens, "
            f"such as `{suggestion}`"
        )
    return None


_APOSTROPHES = str.maketrans("", "", "'’ʼ")
_GREEK = {
    "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "ζ": "zeta", "η": "eta",
    "θ": "theta", "ι": "iota", "κ": "kappa", "λ": "lambda", "μ": "mu", "ν": "nu", "ξ": "xi", "ο": "omicron",
    "π": "pi", "ρ": "rho", "σ": "sigma", "ς": "sigma", "τ": "tau", "υ": "upsilon", "φ": "phi", "χ": "chi",
    "ψ": "psi", "ω": "omega",
}
_LETTERS = str.maketrans({
    "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i",
    **{letter: f" {name} " for letter, name in _GREEK.items()},
})


@lru_cache(maxsize=16_384)
def fold_word(word: str) -> str:
    """A search word in lower case without accents or apostrophes; a Greek letter becomes its own word."""
    word = word.translate(_APOSTROPHES)
    if word.isascii():
        return word.lower()
    word = unicodedata.normalize("NFKC", word).casefold().translate(_LETTERS)
    word = unicodedata.normalize("NFKD", word)
    return "".join(ch for ch in word if not unicodedata.combining(ch))
