# The project's verbs. `make serve` and `make test` are all a newcomer needs.
.DEFAULT_GOAL := help
SHELL := /bin/bash

VENV := .venv
BIN := $(VENV)/bin
REF_VENV := .venv-ref
export NO_MKDOCS_2_WARNING := 1

# The site's tools need Python >= 3.12 (the package itself supports 3.11+). Take the first
# that runs: python3.12, python3.13, then any pyenv-installed 3.12+ interpreter.
PYTHON ?= $(shell for p in python3.12 python3.13; do $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { command -v $$p; exit; }; done; \
	for p in $${PYENV_ROOT:-$$HOME/.pyenv}/versions/3.1[2-9]*/bin/python3; do [ -x "$$p" ] && { echo "$$p"; exit; }; done)
# The reference environment (PyTorch 2.13 CPU) needs Python 3.11.
PYTHON311 ?= $(shell for p in python3.11 $${PYENV_ROOT:-$$HOME/.pyenv}/versions/3.11*/bin/python3; do $$p -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null && { echo $$p; exit; }; done)

NODE_DEPS := node_modules/.installed

.PHONY: help venv serve build test test-fast bench bench-site bench-practice bench-lighthouse reference lock clean

help:
	@echo "make serve      build the site and serve it on http://127.0.0.1:8000"
	@echo "make test       run everything CI checks"
	@echo "make build      build the static site into site/"
	@echo "make bench      benchmark lossref against NumPy and PyTorch"
	@echo "make bench-site site build time, page weight and Lighthouse scores"
	@echo "make bench-practice  first feedback, check latency, return visit and bytes of the exercises"
	@echo "make bench-lighthouse  Lighthouse (mobile) on every page, light and dark"
	@echo "make reference  regenerate tests/data/reference.json (PyTorch, Keras 3, optax, scikit-learn, mpmath)"

$(BIN)/.installed: requirements/dev.txt pyproject.toml
	@test -n "$(PYTHON)" || { echo "Python 3.12 or newer is needed (set PYTHON=/path/to/python3.12)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements/dev.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

# KaTeX (math typeset at build time) comes from npm, pinned in package-lock.json.
$(NODE_DEPS): package.json package-lock.json
	@command -v npm >/dev/null || { echo "Node.js and npm are needed (Debian: apt-get install nodejs npm)"; exit 1; }
	npm ci --no-audit --no-fund
	touch $@

venv: $(BIN)/.installed $(NODE_DEPS)

serve: venv
	$(BIN)/mkdocs serve --strict -a 127.0.0.1:8000

build: venv
	$(BIN)/mkdocs build --strict --site-dir site

# The site build (strict, every example executed) runs inside pytest: tests/site/.
test: venv
	$(BIN)/ruff check lossref tests benchmarks docs/hooks snippets
	$(BIN)/python -m pytest

test-fast: venv
	HYPOTHESIS_PROFILE=fast $(BIN)/python -m pytest -x -q

$(REF_VENV)/.installed: requirements/reference.txt
	@test -n "$(PYTHON311)" || { echo "Python 3.11 is needed for the PyTorch 2.13 CPU wheel"; exit 1; }
	$(PYTHON311) -m venv $(REF_VENV)
	$(REF_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements/reference.txt
	touch $@

bench: venv $(REF_VENV)/.installed
	PYTHONPATH=$(CURDIR) $(REF_VENV)/bin/python benchmarks/bench_losses.py

bench-site: venv
	$(BIN)/python benchmarks/bench_site.py

bench-practice: venv
	$(BIN)/python benchmarks/bench_practice.py

bench-lighthouse: venv
	$(BIN)/python benchmarks/bench_lighthouse.py

reference: $(REF_VENV)/.installed
	PYTHONPATH=$(CURDIR) $(REF_VENV)/bin/python tests/data/make_reference.py

lock: venv
	{ echo "# Pinned development environment (Python >= 3.12), generated from dev.in by 'make lock'."; \
	  $(BIN)/python -m pip freeze --all --exclude-editable | grep -vE '^(lossref|pip)=='; } > requirements/dev.txt

clean:
	rm -rf site .pytest_cache .hypothesis node_modules
