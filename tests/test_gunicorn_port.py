"""gunicorn.conf.py gives each worker its own listening socket (reuse_port), which would let a
second server share a port that is already in use: it refuses instead, in one line."""

from __future__ import annotations

import socket
import subprocess
from pathlib import Path

from tests.serving import PYTHON, ROOT, Database, free_port


def test_a_second_server_on_a_port_in_use_is_refused_with_one_clear_line(tmp_path):
    database = Database("port_in_use")
    port = free_port()
    try:
        with socket.socket() as holder:  # what an earlier `make run` would hold
            holder.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
            holder.bind(("127.0.0.1", port))
            holder.listen()
            gunicorn = str(Path(PYTHON).parent / "gunicorn")
            done = subprocess.run([gunicorn, "immunoref.wsgi", "--config", "gunicorn.conf.py",
                                   "--bind", f"127.0.0.1:{port}", "--workers", "1"],
                                  env=database.env(), cwd=ROOT, capture_output=True, text=True, timeout=60)
    finally:
        database.drop()
    assert done.returncode != 0
    assert f"cannot listen on 127.0.0.1:{port}: Address already in use" in done.stderr
    assert "Traceback" not in done.stderr
