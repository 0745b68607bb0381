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
- At most 24 connections per worker: without a cap one worker sometimes accepted all 32
  keep-alive connections of a burst and the other sat idle (pages at 0.3x the static
  file's throughput in a third of the runs); with it each worker gets its share.
Each thread keeps its own database connection (persistent, CONN_MAX_AGE), and on
PostgreSQL each worker one more for the version watch: allow workers x (threads + 1)
connections per machine.
"""

import os

wsgi_app = "immunoref.wsgi"
worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "16"))
worker_connections = int(os.environ.get("GUNICORN_CONNECTIONS", "24"))
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
