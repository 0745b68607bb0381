"""Shared fixtures: small content folders built in the tests, and loading them."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from tests.contentkit import ContentFolder


@pytest.fixture(autouse=True)
def _empty_page_cache():
    """Every test starts with an empty page cache (the local-memory cache outlives a test)."""
    from django.core.cache import cache

    from encyclopedia.page_store import page_store

    cache.clear()
    page_store.__init__()  # nor a shared cache remembered as down, with its fallback pages


@pytest.fixture(autouse=True)
def _reads_written_only_when_flushed(monkeypatch):
    """Reader signals: a fresh read buffer with no background writer, whose thread would write
    outside the test's transaction; tests call ``reads.buffer.flush()``."""
    from encyclopedia.readers import identity, reads

    monkeypatch.setattr(reads, "buffer", reads.ReadBuffer(interval=0))
    identity.forget_salts()


@pytest.fixture(autouse=True)
def _fresh_database_readiness(monkeypatch):
    """A failed database check is not carried into the next test: a test without database
    access must not leave the next one answering 503 (encyclopedia/readiness.py remembers it)."""
    from encyclopedia import readiness

    if not readiness.readiness.ready:
        monkeypatch.setattr(readiness, "readiness", readiness._Readiness())


@pytest.fixture
def content(tmp_path) -> ContentFolder:
    """A small, valid content folder in a temporary directory (see tests/contentkit.py)."""
    return ContentFolder.minimal(tmp_path / "content")


@pytest.fixture
def load(settings, db):
    """load(folder) loads a content folder into the test database and returns the report."""
    from encyclopedia import pipeline

    def _load(folder: ContentFolder | Path, **options):
        root = folder.root if isinstance(folder, ContentFolder) else Path(folder)
        settings.CONTENT_DIR = root
        return pipeline.load_content(root, processes=options.pop("processes", 2), **options)

    return _load


def dedent(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")
