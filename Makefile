# paradewi: `make run` to try it, `make test` to check it. Needs only Python 3.11+.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip
MANAGE := $(BIN)/python manage.py
PORT ?= 8000

.PHONY: run test install install-dev messages lint typecheck pytest serve setup clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Installs are keyed on the files that define them, so re-running is quick.
$(VENV)/.installed: $(BIN)/python pyproject.toml requirements.lock
	$(PIP) install --quiet --disable-pip-version-check -c requirements.lock -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements.lock
	$(PIP) install --quiet --disable-pip-version-check -c requirements.lock -e ".[dev]"
	touch $@

install: $(VENV)/.installed messages
install-dev: $(VENV)/.installed-dev messages

# Compiled translations (.mo) are built from the committed .po files with Babel (pip only).
messages: $(VENV)/.installed
	$(BIN)/pybabel compile --statistics -D django -d paradewi/locale

# A local .env with a random secret key, demo mode on; never overwritten once made.
.env:
	$(BIN)/python -c "import secrets; print('SECRET_KEY=' + secrets.token_urlsafe(50))" > .env
	$(BIN)/python -c "import base64, os; k = lambda: base64.urlsafe_b64encode(os.urandom(32)).rstrip(b'=').decode(); print('ENCRYPTION_KEYS=k1:' + k()); print('SEARCH_INDEX_KEY=' + k())" >> .env
	grep -v -E '^(SECRET_KEY|ENCRYPTION_KEYS|SEARCH_INDEX_KEY)=' .env.example | grep -E '^[A-Z]' >> .env
	echo "PARADEWI_DEMO=true" >> .env

setup: install .env
	$(MANAGE) migrate --noinput
	$(MANAGE) createcachetable
	$(MANAGE) collectstatic --noinput --verbosity 0
	$(MANAGE) load_regions
	$(MANAGE) load_catalogue
	$(MANAGE) make_signing_key --if-missing
	$(MANAGE) load_demo

# Web server (gunicorn) and background worker (db_worker) together, on http://127.0.0.1:$(PORT).
run: setup
	PATH="$(CURDIR)/$(BIN):$$PATH" PORT=$(PORT) $(BIN)/honcho start -f Procfile

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install-dev
	DEBUG=true SECRET_KEY=typecheck-only $(BIN)/mypy .

pytest: install-dev
	$(BIN)/python -m pytest -n 2 -q $(PYTEST_ARGS)

test: lint typecheck pytest

clean:
	rm -rf $(VENV) var .env
