# Two commands on a fresh machine: `make run` and `make test`. Both bootstrap .venv first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test bench check lint compile clean catalogues

# Create the virtualenv, install the package with its dev extras, then byte-compile
# everything: where PYTHONDONTWRITEBYTECODE=1 is set (as on many CI machines) nothing would ever
# cache the compiled modules and every start-up would pay for compiling them.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/python -m compileall -q -j 0 $(VENV)/lib
	touch $(STAMP)

compile: $(STAMP)
	@$(BIN)/python -m compileall -q -j 0 ticker providers

run: compile
	$(BIN)/ticker $(ARGS)

test: compile
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Performance figures as ratios against baselines measured in the same run (minutes).
bench: compile
	$(BIN)/python -m benchmarks.run

# The translations: extract every marked message, add the new ones to the .po files
# (ticker/i18n/po/<language>/<part>.po), compile ticker.mo, refresh the CLDR table.
catalogues: $(STAMP)
	$(BIN)/python -m ticker.i18n.build

lint: $(STAMP)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports

check: lint test

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
