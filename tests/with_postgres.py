"""Run a command against a throwaway PostgreSQL server started for it.

    python tests/with_postgres.py -- pytest -m "not browser"

initdb + pg_ctl into a temporary folder, on a free loopback port, as the `postgres`
user when run as root (the server refuses to run as root); DATABASE_URL points the
command at it; the server is stopped and its folder removed afterwards, whatever
the command's outcome.  Exits with the command's exit code.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path


def find_binary(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    for candidate in sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True):
        return str(candidate)
    sys.exit(f"with_postgres: `{name}` not found; install the PostgreSQL server binaries")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def as_server_user(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", "postgres", "--", *command]


def main(argv: list[str]) -> int:
    if "--" in argv:
        argv = argv[argv.index("--") + 1:]
    if not argv:
        sys.exit("usage: python tests/with_postgres.py -- COMMAND [ARGS…]")
    initdb, pg_ctl = find_binary("initdb"), find_binary("pg_ctl")
    folder = Path(tempfile.mkdtemp(prefix="immunoref-pg-"))
    data = folder / "data"
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    port = free_port()
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.STDOUT}
    started = False
    try:
        subprocess.run(as_server_user([initdb, "-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8",
                                       "--no-sync", "--locale=C.UTF-8"]), check=True, **quiet)
        options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -F -c max_connections=50"
        subprocess.run(as_server_user([pg_ctl, "-D", str(data), "-o", options, "-l", str(folder / "server.log"),
                                       "-w", "-t", "60", "start"]), check=True, **quiet)
        started = True
        env = dict(os.environ, DATABASE_URL=f"postgres://postgres@127.0.0.1:{port}/immunoref")
        print(f"with_postgres: PostgreSQL on 127.0.0.1:{port}", flush=True)
        return subprocess.run(argv, env=env).returncode
    except subprocess.CalledProcessError as exc:
        log = folder / "server.log"
        if log.exists():
            sys.stderr.write(log.read_text(errors="replace")[-3000:])
        sys.stderr.write(f"with_postgres: could not start PostgreSQL ({exc})\n")
        return 1
    finally:
        if started:
            subprocess.run(as_server_user([pg_ctl, "-D", str(data), "-m", "fast", "-w", "stop"]), **quiet)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
