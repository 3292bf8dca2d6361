# Everything runs from a fresh clone: `make test` builds the venv and finds a browser first.
# Override the interpreter with `make setup PYTHON=python3.12`; pass pytest options with
# `make test PYTEST_ARGS='-k browser -x'`.

PYTHON ?= python3
VENV := .venv
VENV_PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
BENCH_STAMP := $(VENV)/.bench-installed
PYTEST_ARGS ?=
PY_VERSION_OK := import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)

.PHONY: setup test demo bench clean catalogs

setup: $(STAMP)
	$(VENV_PY) -m automations.browser install

# The stamp is what makes a second `make setup` fast: pip only runs again when
# pyproject.toml changes or the venv is gone.
$(STAMP): pyproject.toml
	@$(PYTHON) -c '$(PY_VERSION_OK)' 2>/dev/null || { \
	  echo "error: okko-cancel needs Python >= 3.11, but '$(PYTHON)' is $$($(PYTHON) --version 2>/dev/null || echo 'not found'); run e.g. 'make setup PYTHON=python3.11'." >&2; \
	  exit 1; }
	@test -x $(VENV_PY) || $(PYTHON) -m venv $(VENV) || { \
	  rm -rf $(VENV); \
	  echo "error: '$(PYTHON) -m venv' failed; on Debian/Ubuntu install the venv module: apt-get install python3-venv" >&2; \
	  exit 1; }
	@$(VENV_PY) -c '$(PY_VERSION_OK)' || { \
	  echo "error: $(VENV) was made with $$($(VENV_PY) --version 2>&1); run 'make clean' and then 'make setup'." >&2; \
	  exit 1; }
	$(VENV_PY) -m pip install -q -e '.[test]'
	@touch $(STAMP)

test: setup
	$(VENV_PY) -m pytest -n auto --dist worksteal $(PYTEST_ARGS)

# After adding or changing a message: merge it into the Russian catalog, translate what
# comes in empty, then run this again to compile.
catalogs: setup
	$(VENV_PY) -m automations.locales.catalogs

demo: setup
	$(VENV_PY) cli.py demo

bench: setup $(BENCH_STAMP)
	@test -f bench/run.py || { echo "error: bench/run.py not found" >&2; exit 1; }
	$(VENV_PY) bench/run.py

# The bench extra (psutil) on top of the test set-up; again only when pyproject.toml changes.
$(BENCH_STAMP): $(STAMP)
	$(VENV_PY) -m pip install -q -e '.[test,bench]'
	@touch $(BENCH_STAMP)

clean:
	rm -rf $(VENV) .pytest_cache test-results bench/out *.egg-info
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
