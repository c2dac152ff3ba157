VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test bench lint clean

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $(STAMP)

# Serves the web pages and the HTTP API on http://127.0.0.1:8000 (SERVE_ARGS='--port 8080' to change).
# On first use `lvzhi serve` sets the database up (LVZHI_DATABASE_URL, else a SQLite file in the
# user's data folder) with the embedded Emin list, and says so.
run: $(STAMP)
	$(VENV)/bin/lvzhi serve $(SERVE_ARGS)

test: $(STAMP)
	$(PY) -m pytest $(PYTEST_ARGS)

bench: $(STAMP)
	$(PY) bench/run_all.py

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests bench

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
