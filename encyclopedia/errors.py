"""Problems found in content, reported as ``path:line: message``."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in one file.  ``path`` is relative to the content folder's parent."""

    path: str
    line: int
    message: str
    severity: str = "error"  # "error" (the loader refuses) or "warning" (editorial)

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"

    def as_dict(self) -> dict:
        return {"path": self.path, "line": self.line, "severity": self.severity, "message": self.message}


class ContentError(Exception):
    """Raised when content cannot be loaded; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems))
        super().__init__("\n".join(str(problem) for problem in self.problems))

    def summary(self) -> str:
        count = len(self.problems)
        return f"{count} problem{'s' if count != 1 else ''} found"
