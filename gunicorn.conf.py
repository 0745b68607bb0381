"""gunicorn settings for `make run` and for production (README, Deploying).

Chosen by measurement (bench/http.py, figures in bench/README.md), 2 cores:
- 2 processes on 2 cores (issue 8 measured 4 workers slower than 2 here).
- Threaded workers (gthread), 8 threads each: with sync workers 16 slow clients (a phone
  sending its request over a poor network) took every worker and throughput fell from
  ~2,500 to ~13 requests/s; gthread kept serving everyone else, and its keep-alive
  connections made ordinary traffic faster too.  In production a buffering proxy (nginx,
  deploy/nginx.conf) still goes in front, so no client can hold a worker at all.
Each thread keeps its own database connection (persistent, CONN_MAX_AGE): allow
workers x threads connections per machine on PostgreSQL.
"""

import os

wsgi_app = "immunoref.wsgi"
worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "8"))
preload_app = True
timeout = 30
graceful_timeout = 10
keepalive = 5
accesslog = None  # no access log: nothing pairs what someone read with their address
errorlog = "-"
loglevel = "warning"
proc_name = "immunoref"
