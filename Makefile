# `make run` and `make test` work on a fresh machine with only Python 3.11+.
# The project is installed with uv (from PyPI, into the virtualenv): the same packages
# pip would choose, fetched and unpacked in parallel, in seconds instead of a minute.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint setup migrate demo messages bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit("Python 3.11 or newer is needed") if sys.version_info < (3, 11) else None'
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet 'uv>=0.9,<1'
	$(BIN)/uv pip install --quiet --python $(BIN)/python -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

migrate: $(STAMP)
	$(BIN)/digiystava migrate

demo: migrate
	$(BIN)/digiystava demo --if-empty

run: demo
	@echo "Serving http://127.0.0.1:8000 (stop with Ctrl+C)"
	$(BIN)/digiystava serve --host 127.0.0.1 --port 8000

# The whole suite on every engine configured, in parallel (one worker per core):
# TEST_WORKERS=0 runs it in one process; PYTEST_ARGS passes more options to pytest.
# Python's bytecode cache stays on even where the environment turns it off
# (PYTHONDONTWRITEBYTECODE): each worker, server and command the suite starts
# would otherwise compile the project and rewrite the tests anew.
TEST_WORKERS ?= auto
test: lint
	PYTHONDONTWRITEBYTECODE= $(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

# Lint, format and type checks (config in pyproject.toml); `ruff format .` fixes the layout.
# mypy checks on two processes (its --num-workers, new in mypy 2): 9 s instead of 16 s from cold.
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy --num-workers 2

# Re-extract translatable text after changing templates or code; then translate the .po files.
messages: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k NP_:1c,2 -o digiystava/locale/messages.pot --no-location --sort-output .
	for lang in fi sv en; do $(BIN)/pybabel update -i digiystava/locale/messages.pot -d digiystava/locale -l $$lang --no-fuzzy-matching; done

bench: $(STAMP)
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) build *.egg-info
