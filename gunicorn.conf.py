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
- reuse_port: each worker listens on its own socket (SO_REUSEPORT) and the kernel shares
  new connections out between them.  On one shared socket whichever worker woke first took
  them: bench/http.py saw 32 keep-alive connections split 32/0, 31/1 or 16/16 from run to
  run, and the same page swing between 550 and 1,650 requests/s with it; with reuse_port
  every split was between 16/16 and 22/10.  The cost: a worker that stops (a reload, a
  crash) drops the few connections still waiting in its own queue, and another process
  could share the port, so `on_starting` below refuses to start on a port already in use.
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
reuse_port = True  # see above
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


def on_starting(server):
    """With reuse_port nothing would stop a second server from sharing the port (and the
    readers) with a first: refuse, in one line, as a plain bind would."""
    import socket
    import sys

    for address in server.cfg.address:
        if not isinstance(address, tuple):  # a Unix socket: gunicorn's own check applies
            continue
        family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            try:
                probe.bind(address)
            except OSError as exc:
                sys.exit(f"gunicorn: cannot listen on {address[0]}:{address[1]}: {exc.strerror}. "
                         "Stop what uses that port or choose another (PORT=8001 make run).")


def worker_exit(server, worker):
    """Write the reads this worker buffered before it goes (encyclopedia/readers/reads.py)."""
    from encyclopedia.readers.reads import buffer

    buffer.stop()
