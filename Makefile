# Rekan: `make run` to try it, `make test` to prove it. See README.md.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# Django 6 needs Python >= 3.12. pyenv and uv pick it from .python-version;
# elsewhere the first python3.12 / python3.13 / python3 on PATH is used.
PYTHON ?= $(shell command -v python3.12 || command -v python3.13 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed-$(shell cat requirements.lock requirements-dev.lock | cksum | cut -d' ' -f1)

.PHONY: help install lock run test check lint types messages bench bench-pages bench-lighthouse clean

help:
	@echo "make run    install, migrate, load demo data, start web + Celery worker + beat"
	@echo "make test   install and run the whole test suite"
	@echo "make check  the fast inner loop: lint, types and the suite without browser and slow tests"
	@echo "make lint   ruff"
	@echo "make types  mypy with django-stubs"
	@echo "make bench  the benchmarks of bench/ (needs DATABASE_URL=postgres://... and REDIS_URL=redis://...)"
	@echo "make bench-pages SCALE=\"0.1 1\"  the page benchmark only (same DATABASE_URL and REDIS_URL)"
	@echo "make bench-lighthouse  Lighthouse's mobile scores of the phone pages (same; needs npm and Chromium)"
	@echo "make lock   regenerate requirements*.lock from pyproject.toml (LOCK_ARGS=--upgrade to move versions)"

$(INSTALLED): requirements.lock requirements-dev.lock
	@"$(PYTHON)" -c 'import sys; sys.exit(sys.version_info < (3, 12))' || { \
	  echo "Rekan needs Python 3.12 or newer; '$(PYTHON)' is $$("$(PYTHON)" --version 2>&1)." >&2; \
	  echo "Install Python 3.12 and run again, or: make PYTHON=/path/to/python3.12 ..." >&2; exit 1; }
	@if [ -x "$(PY)" ] && ! "$(PY)" -c 'import sys; sys.exit(sys.version_info < (3, 12))'; then rm -rf $(VENV); fi
	@[ -x "$(PY)" ] || "$(PYTHON)" -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements-dev.lock
	@rm -f $(VENV)/.installed-*
	@touch $@

install: $(INSTALLED)

# pyproject.toml gives ranges; pip-compile (pip-tools, from the dev lock) writes
# every package's exact version and hashes. A version already locked stays as
# long as the ranges allow it: LOCK_ARGS=--upgrade moves every version to the
# newest the ranges allow (LOCK_ARGS="--upgrade-package Django" one runtime
# package). The dev lock keeps the runtime lock's versions.
PIP_COMPILE := CUSTOM_COMPILE_COMMAND="make lock" $(VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe \
	--strip-extras --no-emit-index-url --no-emit-find-links $(LOCK_ARGS)

lock: install
	$(PIP_COMPILE) --output-file requirements.lock pyproject.toml
	$(PIP_COMPILE) --extra dev --constraint requirements.lock --output-file requirements-dev.lock pyproject.toml

run: export DEBUG ?= true
run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo_data
	@echo
	@echo "Rekan is starting on http://127.0.0.1:8000 (web, Celery worker, beat). Ctrl-C stops all."
	@echo
	$(PY) scripts/run_local.py

test: install
	$(VENV)/bin/pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

types: install
	DEBUG=true $(VENV)/bin/mypy

# Everything but the browser tests and the tests that start real Celery
# processes; `make test` (and CI) still runs those.
check: lint types
	$(VENV)/bin/pytest -m "not browser and not slow" -q -p no:cacheprovider -n 2 $(PYTEST_ARGS)

messages: install
	$(PY) manage.py makemessages --locale id --no-obsolete --ignore '.venv/*' --ignore 'tests/*'
	$(PY) manage.py compilemessages --locale id --ignore '.venv/*'

# The benchmarks (bench/README.md) with the issue's sizes, against the PostgreSQL
# server and the Redis database named in the environment. Both always run; the
# target fails if either misses its target.
bench: install
	@[[ "$$DATABASE_URL" == postgres* && "$$REDIS_URL" == redis* ]] || { \
	  echo "make bench needs DATABASE_URL=postgres://user@host:5432/postgres and REDIS_URL=redis://host:6379/<db>" >&2; exit 2; }
	@status=0; \
	$(PY) bench/sweep.py --schedules 1000 100000 --due 1000 || status=1; \
	$(PY) bench/delivery.py --count 1000 || status=1; \
	$(PY) bench/today.py --partnerships 20 2000 || status=1; \
	$(PY) bench/pages.py --scale $(SCALE) || status=1; \
	$(PY) bench/plan_main_thread.py || status=1; \
	exit $$status

# The page benchmark's scale factors (1 = a provincial programme: 2,000 partnerships, 10,000 groups).
SCALE ?= 0.1 1
bench-pages: install
	@[[ "$$DATABASE_URL" == postgres* && "$$REDIS_URL" == redis* ]] || { \
	  echo "make bench-pages needs DATABASE_URL=postgres://user@host:5432/postgres and REDIS_URL=redis://host:6379/<db>" >&2; exit 2; }
	$(PY) bench/pages.py --scale $(SCALE)

# Lighthouse from npm, into bench/.tools (kept out of git), driving Debian's Chromium.
LIGHTHOUSE := bench/.tools/node_modules/.bin/lighthouse
bench-lighthouse: install
	@[[ "$$DATABASE_URL" == postgres* && "$$REDIS_URL" == redis* ]] || { \
	  echo "make bench-lighthouse needs DATABASE_URL=postgres://user@host:5432/postgres and REDIS_URL=redis://host:6379/<db>" >&2; exit 2; }
	@test -x $(LIGHTHOUSE) || npm install --prefix bench/.tools --no-audit --no-fund lighthouse@12
	$(PY) bench/lighthouse.py --lighthouse $(LIGHTHOUSE)

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache
