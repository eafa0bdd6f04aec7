# thidua — cài đặt, chạy và kiểm thử bằng một lệnh / one-command install, run and test.
#
#   make install      system packages (fonts, gettext), .venv, migrate, compilemessages, collectstatic
#   make run          install + demo data + gunicorn on http://127.0.0.1:$(PORT)   (make run PORT=8010)
#   make test         the whole suite twice: SQLite, then PostgreSQL (both must pass)
#   make test-sqlite  only SQLite;   make test-pg   only PostgreSQL
#   make bench        benchmarks (bench/run.py)
#   make loadtest     load test: gunicorn + PostgreSQL on loopback, wrk (docs/PERFORMANCE.md)
#   make clean        build/test leftovers;   make distclean   also .venv and the test PostgreSQL
#
# Extra pytest arguments: make test-sqlite PYTEST_ARGS="-k scoring -x"
# The pieces are in scripts/: find-python, install-system-deps, venv, pg, serve, loadtest.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

VENV        := .venv
THIDUA      := $(VENV)/bin/thidua
PYTEST      := $(VENV)/bin/pytest
PORT        ?= 8000
PYTEST_ARGS ?=

# Common to both test runs: no .pytest_cache in the tree, plain (unhashed) static files so that
# live_server serves them (see notes: manifest storage 404s hashed assets there).
PYTEST_RUN  := THIDUA_PLAIN_STATIC=1 $(PYTEST) -p no:cacheprovider $(PYTEST_ARGS)

# After pytest: exit 5 (no test collected) is a failure too — say so plainly.
pytest_verdict = if [ "$$rc" = 5 ]; then echo "LỖI: pytest không chạy bài kiểm thử nào (mã 5) / ERROR: pytest ran no tests (exit 5)" >&2; fi; exit "$$rc"

.PHONY: help install run test test-sqlite test-pg bench loadtest clean distclean \
        venv messages system-deps-run system-deps-test deps-test _pytest-sqlite _pytest-pg

help:
	@sed -n '2,13s/^# \{0,1\}//p' $(firstword $(MAKEFILE_LIST))

# ---------------------------------------------------------------- install / run

system-deps-run:
	@scripts/install-system-deps run

system-deps-test:
	@scripts/install-system-deps test

venv:
	@scripts/venv

install: system-deps-run venv messages
	@echo "thidua migrate"
	@$(THIDUA) migrate --noinput -v 0
	@echo "thidua collectstatic"
	@$(THIDUA) collectstatic --noinput -v 0
	@echo "Đã cài đặt xong / installed."

# The English catalogue (the UI's source language is Vietnamese); tests need it as much as the app.
messages: venv
	@if [ -n "$$(find thidua -path '*/locale/*' -name '*.po' -print -quit 2>/dev/null)" ]; then \
	    (cd thidua && ../$(THIDUA) compilemessages -v 0) || { \
	        echo "LỖI: compilemessages thất bại (cần gói gettext: scripts/install-system-deps run) / ERROR: compilemessages failed" >&2; \
	        exit 1; }; \
	fi

run: install
	@$(THIDUA) demo >/dev/null && echo "Đã nạp dữ liệu minh họa / demo loaded."
	@PORT="$(PORT)" scripts/serve

# ---------------------------------------------------------------- tests

deps-test: system-deps-test venv messages

test: deps-test
	@s=0; p=0; \
	$(MAKE) --no-print-directory _pytest-sqlite || s=$$?; \
	$(MAKE) --no-print-directory _pytest-pg || p=$$?; \
	if [ "$$s" != 0 ] || [ "$$p" != 0 ]; then \
	    echo; \
	    echo "KẾT QUẢ / RESULT: SQLite $$([ $$s = 0 ] && echo đạt/passed || echo 'HỎNG/FAILED'), PostgreSQL $$([ $$p = 0 ] && echo đạt/passed || echo 'HỎNG/FAILED')"; \
	    exit 1; \
	fi

test-sqlite: deps-test
	@$(MAKE) --no-print-directory _pytest-sqlite

test-pg: deps-test
	@$(MAKE) --no-print-directory _pytest-pg

# SQLite in a throwaway THIDUA_VAR_DIR (the database file, uploads, generated documents).
_pytest-sqlite:
	@printf '\n========== Kiểm thử trên SQLite / tests on SQLite ==========\n\n'
	@tmp=$$(mktemp -d "$${TMPDIR:-/tmp}/thidua-test-sqlite.XXXXXX"); \
	trap 'rm -rf "$$tmp"' EXIT; \
	rc=0; env -u DATABASE_URL THIDUA_VAR_DIR="$$tmp" $(PYTEST_RUN) || rc=$$?; \
	$(pytest_verdict)

# PostgreSQL: the private cluster of scripts/pg (started here, and stopped again if it was not
# running before). A lock keeps two test runs on one machine from sharing test_thidua.
_pytest-pg:
	@printf '\n========== Kiểm thử trên PostgreSQL / tests on PostgreSQL ==========\n\n'
	@exec 8>"$${TMPDIR:-/tmp}/thidua-test-pg-$${THIDUA_PG_PORT:-55432}.lock"; \
	flock -w 3600 8 || { echo "LỖI: một lượt kiểm thử PostgreSQL khác đang chạy / another PostgreSQL test run holds the lock" >&2; exit 1; }; \
	was_running=0; if scripts/pg status >/dev/null 2>&1; then was_running=1; fi; \
	url=$$(scripts/pg start); \
	tmp=$$(mktemp -d "$${TMPDIR:-/tmp}/thidua-test-pg.XXXXXX"); \
	trap 'rm -rf "$$tmp"; if [ "$$was_running" = 0 ]; then scripts/pg stop >/dev/null 2>&1 || true; fi' EXIT; \
	rc=0; DATABASE_URL="$$url" THIDUA_VAR_DIR="$$tmp" $(PYTEST_RUN) || rc=$$?; \
	$(pytest_verdict)

# ---------------------------------------------------------------- misc

bench: venv
	@if [ -f bench/run.py ]; then $(VENV)/bin/python bench/run.py; \
	else echo "Chưa có bench/run.py / no benchmark yet (bench/run.py)."; fi

# Not part of `make test`: about a minute of load on 127.0.0.1 (LOADTEST_ARGS="--duration 20").
loadtest: venv
	@scripts/loadtest $(LOADTEST_ARGS)

clean:
	rm -rf var/static .pytest_cache .hypothesis test-results build dist ./*.egg-info
	find . -path ./.venv -prune -o -path ./.git -prune -o -type d -name __pycache__ -prune -exec rm -rf {} +

distclean: clean
	-scripts/pg destroy
	rm -rf $(VENV)
