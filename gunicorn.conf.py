"""gunicorn settings for `make run` and for production (README, Deploying).

Chosen by measurement (bench/http.py, figures in bench/README.md), 2 cores:
- 2 processes on 2 cores (issue 8 measured 4 workers slower than 2 here).
- Threaded workers (gthread).  With sync workers 16 slow clients (a phone sending its
  request over a poor network) took every worker and throughput fell from ~2,500 to ~13
  requests/s.  A gthread thread also waits while a slow client sends its request: with 8
  threads, 16 slow clients sometimes starved a worker (38 requests/s); with 16 threads
  the entry page kept 3,700-4,900 requests/s beside them.  16 threads cost about a fifth
  of plain throughput against 8 (more threads share one GIL) but lower the p99.  In
  production a buffering proxy (nginx, deploy/nginx.conf) still goes in front, so no
  client can hold a thread at all.
- At most 160 connections per worker (issue 18, bench/clients.py): a gthread worker stops
  accepting at its cap, and a keep-alive client never lets go of its slot, so with the
  earlier cap of 24 (2 x 24 = 48 slots) 256 keep-alive clients got 161 wrk timeouts in
  20 s; with 160, 0 (and 0 non-2xx).  A cap still keeps one worker from taking every
  connection of a burst while the other sits idle (issue 8 saw pages at 0.3x the static
  file with no cap): with 2 workers, 256 clients split at least 96/160.  More clients
  than workers x 160 wait in the listen backlog (2048) until a keep-alive connection
  idles out (keepalive, 5 s) and frees a slot; put nginx in front for more.
- keepalive 5 s: long enough for a reader's page and its static files on one connection,
  short enough that idle connections give their slots back.
- backlog 2048 (gunicorn's default, kept): 256 clients connecting at once never saw a
  refused connection (0 connect errors).
Each thread keeps its own database connection (persistent, CONN_MAX_AGE), and on
PostgreSQL each worker one more for the version watch: allow workers x (threads + 1)
connections per machine.
"""

import os

wsgi_app = "immunoref.wsgi"
worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "16"))
worker_connections = int(os.environ.get("GUNICORN_CONNECTIONS", "160"))
backlog = 2048
preload_app = True
timeout = 30
graceful_timeout = 10
keepalive = 5
accesslog = None  # no access log: nothing pairs what someone read with their address
errorlog = "-"
loglevel = "warning"
proc_name = "immunoref"


def _limit_malloc_arenas(count: int = 2) -> None:
    """glibc gives each thread that allocates its own malloc arena (up to 8 per core); with 16
    threads a worker kept ~5 MB more than with 2 arenas under bench/soak.py, for no speed."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").mallopt(-8, count)  # M_ARENA_MAX; before any worker thread starts
    except (OSError, AttributeError):  # not glibc: nothing to do
        pass


_limit_malloc_arenas(int(os.environ.get("MALLOC_ARENA_MAX", "2")))


def worker_exit(server, worker):
    """Write the reads this worker buffered before it goes (encyclopedia/readers/reads.py)."""
    from encyclopedia.readers.reads import buffer

    buffer.stop()
