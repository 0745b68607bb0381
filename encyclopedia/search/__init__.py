"""Search: one interface, a backend per database (SQLite FTS5, PostgreSQL full-text search).

- ``update_index(entry_ids, rebuild=False)`` and ``remove_from_index(entry_ids)``: called
  by ``encyclopedia.sync.write`` inside the loader's transaction (:mod:`.indexing`);
- ``search(query, page=1, page_size=20)``: ranked, highlighted results (:mod:`.engine`);
- ``suggest(query)``: up to 10 entries for the search box as you type (:mod:`.suggest`).

How words are compared (:mod:`.text`, :mod:`.spelling`), how a query is expanded
(:mod:`.query`), ranked (:mod:`.ranking`) and shown (:mod:`.snippets`) is the same on
both databases; :mod:`.backends` holds the little that differs.
"""

from .engine import SearchResults, search
from .indexing import rebuild_index, remove_from_index, update_index
from .suggest import suggest

__all__ = ["SearchResults", "rebuild_index", "remove_from_index", "search", "suggest", "update_index"]
