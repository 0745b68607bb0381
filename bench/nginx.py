"""Pages through nginx (the shipped deploy/nginx.conf, its page cache) next to nginx's own
speed for a static file of the same size.

    python bench/nginx.py [--duration 10] [--connections 32]

Loads content/ into a fresh database, starts gunicorn as `make run` does and nginx with
deploy/nginx.conf (TLS off, tests/services.py) in front; a second server block in the
same nginx serves the entry page's HTML saved as a plain file, with the same access log as
the site's server block (the shipped ``immunoref_private`` format).  wrk (one thread) asks
for each in turn, with keep-alive.  Targets: entry page >= 0.9 x the static file's
requests/s, p99 <= the static file's p99 + 5 ms.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys

import harness

sys.path.insert(0, str(harness.ROOT))
from tests.serving import Database, Server, manage  # noqa: E402
from tests.services import Nginx, free_port, nginx_site_config  # noqa: E402

_spec = importlib.util.spec_from_file_location("bench_http", harness.BENCH / "http.py")
bench_http = importlib.util.module_from_spec(_spec)
sys.modules["bench_http"] = bench_http
_spec.loader.exec_module(bench_http)

ENTRY = "/entries/cytokine-release-syndrome/"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    options = parser.parse_args()
    print(f"== through nginx — {harness.environment()}; load average {os.getloadavg()[0]:.1f} at start", flush=True)
    database = Database("nginxbench")
    try:
        env = database.env(IMMUNOREF_CONTENT_DIR=str(harness.ROOT / "content"), IMMUNOREF_TESTING="0")
        for command in (("migrate", "--noinput", "-v", "0"), ("loadcontent", "-v", "0"),
                        ("collectstatic", "--noinput", "-v", "0")):
            done = manage(env, *command)
            assert done.returncode == 0, done.stderr
        with Server(env) as server:
            static_port = free_port()
            nginx = Nginx(upstream=f"127.0.0.1:{server.port}")
            page = server.get(ENTRY).body
            (nginx.folder / "static").mkdir()
            (nginx.folder / "static" / "page.html").write_bytes(page)
            nginx.site_config = nginx_site_config(nginx.port, nginx.upstream, nginx.folder) + (
                f"\nserver {{ listen 127.0.0.1:{static_port}; root {nginx.folder}/static;\n"
                # logged as the site's requests are (the shipped format), so both pay the same per request
                f"  access_log {nginx.folder}/static.access.log immunoref_private; }}\n")
            with nginx:
                for _ in range(5):
                    bench_http.urllib.request.urlopen(f"{nginx.url}{ENTRY}").read()
                static = bench_http.wrk(f"http://127.0.0.1:{static_port}/page.html", options.duration,
                                        options.connections)
                entry = bench_http.wrk(f"{nginx.url}{ENTRY}", options.duration, options.connections)
        ratio = entry.requests_per_second / static.requests_per_second if static.requests_per_second else 0
        rows = [["static file (nginx, same bytes)", f"{static.requests_per_second:,.0f}", f"{static.p50_ms:.2f}",
                 f"{static.p99_ms:.2f}", str(static.errors), "1.00"],
                ["entry page through nginx's cache", f"{entry.requests_per_second:,.0f}", f"{entry.p50_ms:.2f}",
                 f"{entry.p99_ms:.2f}", str(entry.errors), f"{ratio:.2f}"]]
        print(f"  {len(page) / 1024:.0f} KB page, {options.connections} connections, {options.duration} s each")
        print(harness.table(rows, ["", "req/s", "p50 ms", "p99 ms", "errors", "x static"]))
        ok = ratio >= 0.9 and entry.p99_ms <= static.p99_ms + 5
        print(f"targets (>= 0.9 x static, p99 <= static p99 + 5 ms): {'met' if ok else 'MISSED'}; "
              f"load average at end {os.getloadavg()[0]:.1f}")
        return 0
    finally:
        database.drop()


if __name__ == "__main__":
    sys.exit(main())
