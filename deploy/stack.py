"""`make stack`: the production setup on one machine, for anyone to try.

nginx with the shipped deploy/nginx.conf (TLS off: there is no certificate here) on
``--port`` (default 8080), in front of gunicorn (gunicorn.conf.py) on a free loopback port,
with a throwaway Redis as the shared page cache; the database is DATABASE_URL, or SQLite.
The Makefile has migrated, loaded content/ and collected static files first.

Ctrl-C (or SIGTERM) stops all of it and removes the temporary folders; if any part exits on
its own, the rest is stopped too.  Nothing is left running.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.services import Nginx, Redis, ServiceMissing, free_port, wait_for_port  # noqa: E402


class Stopped(Exception):
    pass


def _stop_on_signal(signum, frame):
    raise Stopped


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1", help="where nginx listens (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8080, help="nginx's port (default 8080)")
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2")))
    options = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, _stop_on_signal)
    # Ctrl-C stops the stack even when this was started with SIGINT ignored (a background job of
    # a non-interactive shell, such as `make test &`): Python keeps an inherited SIG_IGN.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    shown_host = "127.0.0.1" if options.host in ("0.0.0.0", "::") else options.host
    started: list = []
    gunicorn = None
    try:
        redis = Redis().start()
        started.append(redis)
        port = free_port()
        env = dict(os.environ, IMMUNOREF_CACHE_URL=redis.url)
        env.setdefault("IMMUNOREF_BASE_URL", f"http://{shown_host}:{options.port}")
        gunicorn = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "immunoref.wsgi", "--config", "gunicorn.conf.py",
             "--bind", f"127.0.0.1:{port}", "--workers", str(options.workers)], cwd=ROOT, env=env,
            start_new_session=True)
        wait_for_port(port, gunicorn, Path(os.devnull), timeout=120)
        nginx = Nginx(upstream=f"127.0.0.1:{port}", port=options.port, host=options.host).start()
        started.append(nginx)
        print(f"ImmunoRef stack on {env['IMMUNOREF_BASE_URL']}/ : nginx (deploy/nginx.conf, no TLS) -> gunicorn "
              f"127.0.0.1:{port} ({options.workers} workers) -> {'PostgreSQL' if 'postgres' in env.get('DATABASE_URL', '') else 'SQLite'}; "
              f"page cache Redis {redis.url}.  Ctrl+C stops all of it.", flush=True)
        while True:
            for name, process in (("gunicorn", gunicorn), ("Redis", redis.process), ("nginx", nginx.process)):
                if process.poll() is not None:
                    print(f"make stack: {name} exited ({process.returncode}); stopping the rest.", file=sys.stderr)
                    return 1
            time.sleep(0.5)
    except ServiceMissing as exc:
        print(f"make stack: {exc}", file=sys.stderr)
        return 1
    except (KeyboardInterrupt, Stopped):
        print("\nmake stack: stopping nginx, gunicorn and Redis.", flush=True)
        return 0
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not interrupt the clean-up
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        for service in reversed(started[1:]):
            service.stop()
        if gunicorn is not None and gunicorn.poll() is None:
            gunicorn.send_signal(signal.SIGTERM)
            try:
                gunicorn.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(gunicorn.pid, signal.SIGKILL)
                gunicorn.wait()
        if started:
            started[0].stop()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
