"""Entry history: every version of an entry kept with a permanent address, and readable comparisons.

- :mod:`.models`: versions (never renumbered or rewritten) and their compressed, content-addressed texts;
- :mod:`.notes`: the ``changes:`` front-matter field (editors' dated change notes);
- :mod:`.readable`: the text a reader reads of a stored page body (what versions are compared on);
- :mod:`.recording`: the one function a load calls to record versions (:func:`record_versions`);
- :mod:`.load_hook`: the adapter from the load pipeline's records to :func:`record_versions`;
- :mod:`.compare`: section-by-section, then paragraph, then word comparisons, bounded work;
- :mod:`.views`, :mod:`.feeds`, :mod:`.urls`: the pages and feeds;
- ``management/commands``: ``withdrawversion`` and ``importhistory``.
"""
