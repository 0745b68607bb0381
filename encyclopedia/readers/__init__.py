"""Reader signals that track no one: reads, "was this page helpful?", and searches that found nothing.

A reader is never identified. For one day, a keyed hash of the day's random salt, the client
address and the user agent tells "the same reader" apart from "another reader", so that a page
is counted once per reader and day and floods are limited; the salt and the hashes are deleted
when the day ends (``prune.prune``), after which no stored value can be linked to anyone.
What is kept: per-entry daily read counts, feedback answers (with e-mail addresses and phone
numbers removed from their text), and daily counts of zero-result queries that at least
``IMMUNOREF_QUERY_MIN_READERS`` different readers asked.

- ``clock``: today's date (UTC); tests freeze it.
- ``daystore``: the day's salt and the marks "this reader did this today", in the shared cache
  when one is configured (``IMMUNOREF_CACHE_URL``), otherwise in a small table.
- ``identity``: the client address (``IMMUNOREF_TRUSTED_PROXIES``) and the day's reader hash.
- ``guard``: the one decorator the write endpoints share (origin, content type, size).
- ``reads``: the per-worker buffer of reads, written in one upsert every few seconds.
- ``feedback``, ``queries``: the other two signals.
- ``popular``: "Most read this month" and "Latest entries" for the home page.
- ``prune``, ``report``: the daily prune, and the editors' report.
"""
