"""The kinds of study a reference can be (``study-type`` in references.yaml), and their labels.

One vocabulary, used where a reference is read (a missing or unknown value is a load error),
where reference lists are rendered (the label in ``<span class="study-type">``), on
``/references/`` (the filter) and by ``checkcontent`` (a clinician section resting only on
weak evidence).  CSL-YAML's own ``type`` (article-journal, webpage, …) is a different thing:
it says what the document is, ``study-type`` what kind of evidence it holds.
"""

from __future__ import annotations

from types import MappingProxyType

# Key -> the label readers see, strongest kinds of evidence first (the filter's order).
STUDY_TYPES = MappingProxyType({
    "guideline": "Guideline or consensus",
    "systematic-review": "Systematic review",
    "randomised-trial": "Randomised trial",
    "single-arm-trial": "Single-arm trial",
    "cohort-registry": "Cohort or registry study",
    "case-report": "Case report or series",
    "narrative-review": "Narrative review",
    "laboratory": "Laboratory or animal study",
    "regulatory": "Regulatory document or label",
})
# Evidence a clinician section should not rest on alone.
WEAK_STUDY_TYPES = frozenset({"case-report", "laboratory"})
CSS_CLASS = "study-type"
EXAMPLE = "study-type: randomised-trial"


def label(key: str) -> str:
    """The label of a study type ("" for none or an unknown key)."""
    return STUDY_TYPES.get(key, "")


def allowed_list() -> str:
    return ", ".join(STUDY_TYPES)


def choices() -> list[tuple[str, str]]:
    """(key, label) in the vocabulary's order."""
    return list(STUDY_TYPES.items())
