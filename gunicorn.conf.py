"""gunicorn settings for `make run` (see README, Deploying, for production)."""

import os

wsgi_app = "immunoref.wsgi"
worker_class = "sync"  # measured fastest on 2 cores; put a buffering proxy in front in production
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
preload_app = True
timeout = 30
graceful_timeout = 10
keepalive = 5
accesslog = None  # no access log: nothing pairs what someone read with their address
errorlog = "-"
loglevel = "warning"
proc_name = "immunoref"
