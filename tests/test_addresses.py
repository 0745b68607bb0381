"""Addresses follow the server: the Makefile derives IMMUNOREF_BASE_URL from HOST and PORT
(for `make stack`, nginx's port) unless it is set, and HTTPS without a public address is refused."""

from __future__ import annotations

import os
import subprocess

import pytest

from tests.serving import ROOT


def _make(tmp_path, target: str, **variables: str) -> list[str]:
    """Run a Makefile target with stand-in programs that print the address they were given."""
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True, exist_ok=True)
    for name in ("python", "gunicorn"):
        program = venv / "bin" / name
        program.write_text('#!/bin/sh\necho "BASE_URL=$IMMUNOREF_BASE_URL $*"\n')
        program.chmod(0o755)
    (venv / ".installed").touch()
    env = {key: value for key, value in os.environ.items() if key not in ("IMMUNOREF_BASE_URL", "PORT", "HOST")}
    done = subprocess.run(["make", "--no-print-directory", "-s", target, f"VENV={venv}",
                           *(f"{key}={value}" for key, value in variables.items())],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return [line for line in done.stdout.splitlines() if line.startswith("BASE_URL=")]


@pytest.mark.parametrize("target", ["run", "dev"])
def test_make_run_and_dev_name_the_address_they_serve(tmp_path, target):
    lines = _make(tmp_path, target, PORT="8765", HOST="0.0.0.0")
    assert lines and all(line.startswith("BASE_URL=http://127.0.0.1:8765 ") for line in lines), lines


def test_make_stack_names_nginx_port_default_8080(tmp_path):
    lines = _make(tmp_path, "stack")
    assert lines[-1].startswith("BASE_URL=http://127.0.0.1:8080 deploy/stack.py --host 127.0.0.1 --port 8080")
    lines = _make(tmp_path, "stack", PORT="9090")
    assert lines[-1].startswith("BASE_URL=http://127.0.0.1:9090 deploy/stack.py")


def test_a_base_url_that_is_set_is_kept(tmp_path):
    lines = _make(tmp_path, "run", PORT="8765", IMMUNOREF_BASE_URL="https://immunoref.example.org")
    assert all(line.startswith("BASE_URL=https://immunoref.example.org ") for line in lines), lines


def test_https_without_a_public_address_refuses_to_start_in_one_line(tmp_path):
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PYTEST", "IMMUNOREF_BASE"))}
    env.update(DJANGO_HTTPS="1", DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    done = subprocess.run([os.sys.executable, str(ROOT / "manage.py"), "check"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode != 0
    assert done.stderr.strip().splitlines() == [
        "ImmunoRef: DJANGO_HTTPS=1 needs IMMUNOREF_BASE_URL (the public https:// origin, for canonical links, "
        "the sitemap and the feed)."]
