# Pinqiao — two commands: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
PORT ?= 8000
APT_PACKAGES := chromium fonts-noto-cjk libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0 postgresql-client
SUDO := $(shell [ "$$(id -u)" = "0" ] || echo sudo)
# Web processes for `make run` (decision 0014): one per core when REDIS_URL gives the processes a
# shared channel layer, else one (chat sockets in one process must reach those in another);
# `make run WEB_WORKERS=4` to change.
WEB_WORKERS ?= $(if $(REDIS_URL),$(shell nproc 2>/dev/null || echo 1),1)

.PHONY: run test venv venv-dev system-deps lint migrate-check test-sqlite test-postgres test-browser lock clean fuzz

$(VENV)/.base-installed: requirements/base.txt
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -r requirements/base.txt
	touch $@

$(VENV)/.dev-installed: $(VENV)/.base-installed requirements/dev.txt
	$(PIP) install -q -r requirements/dev.txt
	touch $@

venv: $(VENV)/.base-installed
venv-dev: $(VENV)/.dev-installed

## Serve on http://127.0.0.1:8000 with SQLite, a task worker and the scheduler beside it.
run: venv
	mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	$(PY) manage.py collectstatic --noinput -v0
	$(PY) manage.py record_maintenance --start "make run"
	@echo "聘桥 running at http://127.0.0.1:$(PORT)  (Ctrl-C stops the server, worker and scheduler)"
	@# The three run in their own sessions: a signal to this process group (Ctrl-C, SIGTERM)
	@# reaches only this shell, which stops each of them exactly once and waits for them. It
	@# ignores the signals that follow (make forwards the one it got to this shell) and waits
	@# again if one interrupted `wait` before it was ignored. The old trap, `kill 0` on EXIT,
	@# INT and TERM, signalled this shell itself from inside its own trap, again and again
	@# until bash overflowed its stack: the "Segmentation fault" of issue 11 finding 14
	@# (pinqiao/core/tests/test_make_run_stop.py). The worker runs without the autoreloader.
	@# WebSockets without per-message deflate: chat frames are a few hundred bytes of JSON, and
	@# each compressed socket keeps ~44 KB of zlib state (bench/chat.py, 1,000 sockets: 221 MB
	@# with it, 177 MB without; the CPU per message did not differ: docs/benchmarks.md).
	@trap 'trap "" INT TERM; kill -TERM $$pids 2>/dev/null; for p in $$pids; do \
	    while kill -0 $$p 2>/dev/null; do wait $$p; done; done; exit 0' INT TERM; \
	  setsid $(PY) manage.py db_worker --no-reload & pids="$$!"; \
	  setsid $(PY) manage.py run_scheduler & pids="$$pids $$!"; \
	  setsid env DJANGO_DEBUG=$${DJANGO_DEBUG:-0} $(VENV)/bin/uvicorn pinqiao.asgi:application \
	    --host 127.0.0.1 --port $(PORT) --workers $(WEB_WORKERS) --no-access-log \
	    --ws-per-message-deflate false & \
	  pids="$$pids $$!"; wait $$pids

## `make run` with Django's debug pages on (DEBUG is off in `make run`: real Chinese error pages).
.PHONY: dev
dev:
	DJANGO_DEBUG=1 $(MAKE) run

## System packages the tests need (Chromium for browser tests, CJK fonts), from Debian.
system-deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	fi

lint: venv-dev
	$(VENV)/bin/ruff check .

migrate-check: venv-dev
	DJANGO_SETTINGS_MODULE=pinqiao.settings.test $(PY) manage.py makemigrations --check --dry-run >/dev/null
	DJANGO_SETTINGS_MODULE=pinqiao.settings.test $(PY) manage.py lint_migrations

test-sqlite: venv-dev
	$(VENV)/bin/pytest -m "not browser" -n 2 -q

test-postgres: venv-dev
	@if $(PY) -c "import psycopg; psycopg.connect('$(PG_URL)', connect_timeout=3).close()" 2>/dev/null; then \
	  echo "== database tests on PostgreSQL ($(PG_URL))"; \
	  DATABASE_URL=$(PG_URL) $(VENV)/bin/pytest -m "not browser" -n 2 -q; \
	else \
	  echo "== PostgreSQL not reachable at $(PG_URL): skipping the PostgreSQL half"; \
	fi

test-browser: venv-dev system-deps
	$(VENV)/bin/pytest -m browser -q -n 2 --dist loadfile

## Everything CI runs: lint, migrations in step, SQLite, PostgreSQL (when reachable), Chromium.
test: system-deps lint migrate-check test-sqlite test-postgres test-browser

## A longer schemathesis run over every API operation and role (random seed, 25 examples each).
fuzz: venv-dev
	PINQIAO_FUZZ_EXAMPLES=25 PINQIAO_FUZZ_RANDOM=1 $(VENV)/bin/pytest pinqiao/api/tests/test_fuzz.py -n 2 -q

## Re-lock dependencies after editing requirements/*.in.
lock: venv-dev
	$(PIP) install -q pip-tools
	cd requirements && ../$(VENV)/bin/pip-compile -q --strip-extras --no-emit-index-url base.in -o base.txt
	cd requirements && ../$(VENV)/bin/pip-compile -q --strip-extras --no-emit-index-url dev.in -o dev.txt

clean:
	rm -rf $(VENV) var
