"""Search: one interface, a backend per database (filled in by the search issue)."""

from __future__ import annotations


def update_index(entry_ids: list[int], rebuild: bool = False) -> None:
    """Rewrite the index rows of these entries (inside the loader's transaction)."""


def remove_from_index(entry_ids: list[int]) -> None:
    """Drop the index rows of removed entries."""
