# Rekan: `make run` to try it, `make test` to prove it. See README.md.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# Django 6 needs Python >= 3.12. pyenv and uv pick it from .python-version;
# elsewhere the first python3.12 / python3.13 / python3 on PATH is used.
PYTHON ?= $(shell command -v python3.12 || command -v python3.13 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed-$(shell cat requirements.lock requirements-dev.lock | cksum | cut -d' ' -f1)

.PHONY: help install run test lint messages clean

help:
	@echo "make run    install, migrate, load demo data, start web + Celery worker + beat"
	@echo "make test   install and run the whole test suite"
	@echo "make lint   ruff"

$(INSTALLED): requirements.lock requirements-dev.lock
	@"$(PYTHON)" -c 'import sys; sys.exit(sys.version_info < (3, 12))' || { \
	  echo "Rekan needs Python 3.12 or newer; '$(PYTHON)' is $$("$(PYTHON)" --version 2>&1)." >&2; \
	  echo "Install Python 3.12 and run again, or: make PYTHON=/path/to/python3.12 ..." >&2; exit 1; }
	@if [ -x "$(PY)" ] && ! "$(PY)" -c 'import sys; sys.exit(sys.version_info < (3, 12))'; then rm -rf $(VENV); fi
	@[ -x "$(PY)" ] || "$(PYTHON)" -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.lock
	@rm -f $(VENV)/.installed-*
	@touch $@

install: $(INSTALLED)

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

messages: install
	$(PY) manage.py makemessages --locale id --no-obsolete --ignore '.venv/*' --ignore 'tests/*'
	$(PY) manage.py compilemessages --locale id --ignore '.venv/*'

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache
