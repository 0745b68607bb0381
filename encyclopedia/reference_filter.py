"""The study-type filter of ``/references/`` (``?type=randomised-trial``): a plain GET form.

An unknown value is not an error: the page says so (with a suggestion) and lists every source.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from django.db.models import Count

from .models import Reference
from .study_types import STUDY_TYPES

PARAMETER = "type"
MAX_SHOWN = 60  # characters of an unknown value repeated on the page


@dataclass
class TypeFilter:
    selected: str = ""  # a key of STUDY_TYPES, or "" for every source
    unknown: str = ""  # what was asked for when it is no study type
    suggestion: str = ""  # the key it was probably meant to be
    options: list[tuple[str, str, int]] = field(default_factory=list)  # (key, label, number of sources)
    total: int = 0

    @property
    def selected_label(self) -> str:
        return STUDY_TYPES.get(self.selected, "")

    @property
    def suggestion_label(self) -> str:
        return STUDY_TYPES.get(self.suggestion, "")

    @property
    def shown_count(self) -> int:
        return next((count for key, _label, count in self.options if key == self.selected), self.total)


def _key_of(value: str) -> str | None:
    """The study type a value names: its key or its label, in any case, spaces or underscores for hyphens."""
    folded = " ".join(value.replace("_", " ").replace("-", " ").split()).casefold()
    for key, label in STUDY_TYPES.items():
        if folded in (key.replace("-", " "), label.casefold()):
            return key
    return None


def _suggestion(value: str) -> str:
    names = {**{key: key for key in STUDY_TYPES}, **{label.casefold(): key for key, label in STUDY_TYPES.items()}}
    close = difflib.get_close_matches(value.strip().casefold().replace(" ", "-"), list(names), n=1, cutoff=0.6) or \
        difflib.get_close_matches(value.strip().casefold(), list(names), n=1, cutoff=0.6)
    return names[close[0]] if close else ""


def type_filter(request) -> TypeFilter:
    """What ``?type=`` asks for, and how many sources each study type has."""
    counts = dict(Reference.objects.values_list("study_type").annotate(count=Count("pk")).order_by())
    result = TypeFilter(options=[(key, label, counts.get(key, 0)) for key, label in STUDY_TYPES.items()],
                        total=sum(counts.values()))
    asked = request.GET.get(PARAMETER, "").strip()
    if asked:
        key = _key_of(asked)
        if key is None:
            result.unknown = asked[:MAX_SHOWN] + ("…" if len(asked) > MAX_SHOWN else "")
            result.suggestion = _suggestion(asked)
        else:
            result.selected = key
    return result


def filtered(references, chosen: TypeFilter):
    return references.filter(study_type=chosen.selected) if chosen.selected else references
