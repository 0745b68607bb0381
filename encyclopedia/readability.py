"""Reading grade of an entry's patient part.

The patient part of an entry is everything in its body before the heading
``## For clinicians``.  Its reading grade is the Flesch-Kincaid grade that
``textstat`` computes on the prose of that part: headings, tables, citation
markers and Markdown syntax are left out, and each list item counts as a
sentence.  The content tests and ``checkcontent`` both call
:func:`patient_reading_grade`, so the figure is the same everywhere.

Run ``python -m encyclopedia.readability content/*.md`` to print the grade of
each file (handy while writing).
"""

from __future__ import annotations

import re
import sys

from .mdx.syntax import readable_source

CLINICIAN_HEADING = re.compile(r"^##\s+For clinicians\s*(\{[^}]*\})?\s*$", re.MULTILINE)
TARGET_GRADE = 8.0

_FRONT_MATTER = re.compile(r"\A---\n.*?\n(---|\.\.\.)\n", re.DOTALL)
_LIST_MARKER = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
_SENTENCE_END = re.compile(r"[.!?:;]['\")\]]*$")


def split_patient_part(body: str) -> str:
    """Return the part of a Markdown body written for patients."""
    match = CLINICIAN_HEADING.search(body)
    return body[: match.start()] if match else body


def prose_of(markdown_text: str) -> str:
    """Plain sentences of a Markdown fragment, for readability formulas."""
    sentences: list[str] = []
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            text = " ".join(paragraph).strip()
            if text:
                if not _SENTENCE_END.search(text):
                    text += "."
                sentences.append(text)
            paragraph.clear()

    in_fence = False
    for raw in markdown_text.split("\n"):
        line = raw.rstrip()
        if line.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
            flush()
            continue
        if in_fence:
            continue
        stripped = line.strip()
        if not stripped or stripped.startswith(("#", "|")) or re.fullmatch(r"[-=*_ ]{3,}", stripped):
            flush()
            continue
        if _LIST_MARKER.match(line):
            flush()
            stripped = _LIST_MARKER.sub("", line).strip()
        stripped = stripped.lstrip("> ").strip()
        stripped = readable_source(stripped)
        if stripped:
            paragraph.append(stripped)
    flush()
    return "\n".join(sentences)


def reading_grade(text: str) -> float:
    """Flesch-Kincaid grade of plain text (textstat 0.7.8)."""
    import textstat

    if not text.strip():
        return 0.0
    return round(float(textstat.flesch_kincaid_grade(text)), 1)


def patient_reading_grade(body: str) -> float:
    """Reading grade of the patient part of an entry body (front matter allowed)."""
    body = _FRONT_MATTER.sub("", body.replace("\r\n", "\n"), count=1)
    return reading_grade(prose_of(split_patient_part(body)))


def main(argv: list[str]) -> int:
    worst = 0.0
    for path in argv:
        with open(path, encoding="utf-8") as handle:
            grade = patient_reading_grade(handle.read())
        worst = max(worst, grade)
        flag = "" if grade <= TARGET_GRADE else "  <-- above target"
        print(f"{grade:5.1f}  {path}{flag}")
    return 0 if worst <= TARGET_GRADE else 1


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main(sys.argv[1:]))
