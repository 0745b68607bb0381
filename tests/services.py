"""Throwaway Redis, Memcached and nginx processes, for the tests, `bench/` and `make stack`.

Each is started in a temporary folder on a free loopback port, the way
``tests/with_postgres.py`` starts PostgreSQL, and stopped (by its own process id) and
its folder removed afterwards, whatever happens.  They are context managers::

    with Redis() as redis, Nginx(upstream="127.0.0.1:8000") as nginx:
        ... redis.url, nginx.port ...

nginx runs the shipped ``deploy/nginx.conf``, adapted only where a test must differ from a
production machine: the listening port (plain HTTP, no TLS: a test has no certificate),
the upstream address, and the folders for logs, the page cache and temporary files
(``nginx_site_config``).  Every other line, the caching and rate limits included, is the
shipped one.
"""

from __future__ import annotations

import getpass
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHIPPED_NGINX = ROOT / "deploy" / "nginx.conf"


class ServiceMissing(RuntimeError):
    """A service's program is not installed (``make test`` installs them with apt-get)."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def find_program(name: str) -> str:
    found = shutil.which(name) or next((str(p) for p in (Path("/usr/sbin") / name, Path("/usr/bin") / name)
                                        if p.exists()), None)
    if not found:
        raise ServiceMissing(f"`{name}` is not installed; `make test` installs it (apt-get install {name})")
    return found


def wait_for_port(port: int, process: subprocess.Popen, log: Path, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited with {process.returncode}:\n{_tail(log)}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"{process.args[0]} did not listen on {port} within {timeout} s:\n{_tail(log)}")


def _tail(path: Path) -> str:
    try:
        return path.read_text(errors="replace")[-3000:]
    except OSError:
        return ""


class Service:
    """One throwaway server process; subclasses say how to start it."""

    name = "service"

    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.folder = Path(tempfile.mkdtemp(prefix=f"immunoref-{self.name}-"))
        self.log_path = self.folder / f"{self.name}.log"
        self.process: subprocess.Popen | None = None

    def command(self) -> list[str]:
        raise NotImplementedError

    def start(self) -> "Service":
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(self.command(), stdout=log, stderr=subprocess.STDOUT, cwd=self.folder,
                                            start_new_session=True)
        wait_for_port(self.port, self.process, self.log_path)
        return self

    def pause(self) -> None:
        """Stop the server (an outage); ``start()`` brings it back on the same port."""
        self._terminate()

    def _terminate(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def log(self) -> str:
        return _tail(self.log_path)

    def stop(self) -> None:
        self._terminate()
        shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


class Redis(Service):
    name = "redis"

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def command(self) -> list[str]:
        return [find_program("redis-server"), "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                "--appendonly", "no", "--dir", str(self.folder), "--maxmemory", "256mb",
                "--maxmemory-policy", "allkeys-lru", "--protected-mode", "no"]


class Memcached(Service):
    name = "memcached"

    @property
    def url(self) -> str:
        return f"memcached://127.0.0.1:{self.port}"

    def command(self) -> list[str]:
        command = [find_program("memcached"), "-l", "127.0.0.1", "-p", str(self.port), "-U", "0", "-m", "128"]
        return command + (["-u", "nobody"] if os.geteuid() == 0 else [])


def nginx_site_config(port: int, upstream: str, folder: Path, shipped: str | None = None,
                      host: str = "127.0.0.1") -> str:
    """deploy/nginx.conf for a machine without a certificate: the TLS server listens on
    ``port`` in plain HTTP, the port-80 redirect server goes, the upstream is ``upstream``,
    and log and cache folders live in ``folder``.  Raises if the shipped file no longer has
    the lines this relies on, so the test never silently runs another configuration."""
    text = shipped if shipped is not None else SHIPPED_NGINX.read_text(encoding="utf-8")

    def replace(pattern: str, new: str, flags=re.M) -> None:
        nonlocal text
        text, count = re.subn(pattern, new, text, flags=flags)
        if not count:
            raise ValueError(f"deploy/nginx.conf no longer matches {pattern!r}; update tests/services.py")

    replace(r"^(\s*)server 127\.0\.0\.1:8000\b", rf"\g<1>server {upstream}")
    # The port-80 server only redirects to HTTPS: without TLS there is nothing to redirect to.
    replace(r"^server \{\n\s*listen 80;.*?^\}\n", "", flags=re.M | re.S)
    replace(r"^(\s*)listen 443 ssl http2;", rf"\g<1>listen {host}:{port};")
    replace(r"^\s*listen \[::\]:443 ssl http2;\n", "")
    replace(r"^\s*ssl_\w+ .*;\n", "")
    replace(r"/var/log/nginx/", f"{folder}/")
    replace(r"/var/cache/nginx/", f"{folder}/cache/")
    return text


class Nginx(Service):
    """nginx with the shipped site configuration in front of ``upstream`` (host:port)."""

    name = "nginx"

    def __init__(self, upstream: str, port: int | None = None, site_config: str | None = None,
                 host: str = "127.0.0.1"):
        super().__init__(port)
        self.upstream, self.site_config, self.host = upstream, site_config, host

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def write_config(self) -> Path:
        for sub in ("cache", "tmp"):
            (self.folder / sub).mkdir(exist_ok=True)
        site = self.site_config or nginx_site_config(self.port, self.upstream, self.folder, host=self.host)
        (self.folder / "immunoref.conf").write_text(site, encoding="utf-8")
        user = f"user {getpass.getuser()};" if os.geteuid() == 0 else ""
        main = f"""{user}
worker_processes 1;
daemon off;
pid {self.folder}/nginx.pid;
error_log {self.log_path} warn;
events {{ worker_connections 4096; }}
http {{
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path {self.folder}/tmp/body;
    proxy_temp_path {self.folder}/tmp/proxy;
    fastcgi_temp_path {self.folder}/tmp/fastcgi;
    uwsgi_temp_path {self.folder}/tmp/uwsgi;
    scgi_temp_path {self.folder}/tmp/scgi;
    include {self.folder}/immunoref.conf;
}}
"""
        path = self.folder / "nginx.conf"
        path.write_text(main, encoding="utf-8")
        return path

    def command(self) -> list[str]:
        return [find_program("nginx"), "-c", str(self.write_config()), "-p", str(self.folder), "-e",
                str(self.log_path)]

    def check(self) -> subprocess.CompletedProcess:
        """``nginx -t`` on the adapted configuration."""
        return subprocess.run([*self.command(), "-t"], capture_output=True, text=True)

    def reload(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGHUP)

    def clear_cache(self) -> None:
        shutil.rmtree(self.folder / "cache", ignore_errors=True)
        (self.folder / "cache").mkdir()


class Postgres(Service):
    """A throwaway PostgreSQL server whose outages a test controls (``pause()``/``start()``);
    ``tests/with_postgres.py`` is the one the whole suite runs on."""

    name = "postgres"

    def __init__(self, port: int | None = None):
        super().__init__(port)
        self.data = self.folder / "data"
        self.initialised = False

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def database_url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def _as_server_user(self, command: list[str]) -> list[str]:
        return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command

    def _binary(self, name: str) -> str:
        found = shutil.which(name) or next((str(p) for p in sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
                                                                     reverse=True)), None)
        if not found:
            raise ServiceMissing(f"`{name}` is not installed; `make test` installs PostgreSQL (apt-get install postgresql)")
        return found

    def start(self) -> "Postgres":
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
        quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.STDOUT}
        if not self.initialised:
            subprocess.run(self._as_server_user([self._binary("initdb"), "-D", str(self.data), "-U", "postgres",
                                                 "-A", "trust", "-E", "UTF8", "--no-sync", "--locale=C.UTF-8"]),
                           check=True, **quiet)
            self.initialised = True
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -F -c max_connections=100"
        subprocess.run(self._as_server_user([self._binary("pg_ctl"), "-D", str(self.data), "-o", options, "-l",
                                             str(self.log_path), "-w", "-t", "60", "start"]), check=True, **quiet)
        return self

    def _terminate(self) -> None:
        if self.initialised and (self.data / "postmaster.pid").exists():
            subprocess.run(self._as_server_user([self._binary("pg_ctl"), "-D", str(self.data), "-m", "fast", "-w",
                                                 "stop"]), stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)

    def create_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return self.database_url(name)
