# Two commands a new user needs: `make start` (install + dashboard on the sample) and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
export BROWSER_PATH ?= /usr/bin/chromium

.PHONY: start setup test etl browser

start: setup
	$(PY) -m streamlit run app.py

setup: $(VENV)/.installed

$(VENV)/.installed: requirements.txt
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --upgrade pip
	$(VENV)/bin/pip install -r requirements.txt
	bash scripts/ensure_chromium.sh
	touch $@

etl: setup
	$(PY) -m etl

test: setup
	$(PY) -m pytest
