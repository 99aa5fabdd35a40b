# Two commands a new user needs: `make start` (install + dashboard on the sample) and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
export BROWSER_PATH ?= /usr/bin/chromium

.PHONY: start setup system test lint etl

start: setup
	$(PY) scripts/starta.py   # 127.0.0.1 only unless [auth] is configured in .streamlit/secrets.toml

setup: $(VENV)/.installed system

$(VENV)/.installed: requirements.txt
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --upgrade pip
	$(VENV)/bin/pip install -r requirements.txt
	touch $@

system:
	bash scripts/ensure_system.sh

etl: setup
	$(PY) -m etl

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

test: lint
	$(PY) -m pytest
