VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test bench lint clean

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $(STAMP)

# First use: the database (LVZHI_DATABASE_URL, else a SQLite file in the user's data folder) with
# the embedded Emin list; then the main job. Until the web app exists that is the list summary.
run: $(STAMP)
	$(VENV)/bin/lvzhi init
	$(VENV)/bin/lvzhi summary

test: $(STAMP)
	$(PY) -m pytest $(PYTEST_ARGS)

bench: $(STAMP)
	$(PY) bench/run_all.py

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests bench

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
