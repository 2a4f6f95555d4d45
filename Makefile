# paradewi: `make run` to try it, `make test` to check it (everything, as CI does), `make check`
# for the quick loop while working. Needs only Python 3.11+.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip
MANAGE := $(BIN)/python manage.py
PORT ?= 8000

.PHONY: run test check install install-dev install-bench messages lint typecheck pytest serve setup clean bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Installs are keyed on the files that define them, so re-running is quick.
$(VENV)/.installed: $(BIN)/python pyproject.toml requirements.lock
	$(PIP) install --quiet --disable-pip-version-check -c requirements.lock -e .
	touch $@

# The tests also check the bench's own code (the locustfile runs against a live server), so
# the development install includes the bench extra.
$(VENV)/.installed-dev: $(VENV)/.installed pyproject.toml requirements.lock
	$(PIP) install --quiet --disable-pip-version-check -c requirements.lock -e ".[dev,bench]"
	touch $@

install: $(VENV)/.installed messages
install-dev: $(VENV)/.installed-dev messages
install-bench: install-dev  # the development install holds the bench extra

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
	sed -i '/^SITE_URL=http:\/\/127\.0\.0\.1:8000$$/d' .env
	$(MANAGE) migrate --noinput
	$(MANAGE) createcachetable
	$(MANAGE) collectstatic --noinput --verbosity 0
	$(MANAGE) load_regions
	$(MANAGE) load_catalogue
	$(MANAGE) load_scenarios
	$(MANAGE) make_signing_key --if-missing
	SERVE_PORT=$(PORT) $(MANAGE) load_demo

# Web server (gunicorn) and background worker (db_worker) together, on http://127.0.0.1:$(PORT)
# (`make run PORT=8100` for another port). Links in QR codes and messages follow the port
# (SERVE_PORT, settings.SITE_URL) unless .env sets SITE_URL; `setup` takes out the line
# `SITE_URL=http://127.0.0.1:8000` that earlier versions wrote into .env, which pinned port 8000.
run: setup
	PATH="$(CURDIR)/$(BIN):$$PATH" PORT=$(PORT) SERVE_PORT=$(PORT) $(BIN)/honcho start -f Procfile

# lint-imports: the apps' layers (pyproject.toml, [tool.importlinter]; docs/architecture.md).
lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

typecheck: install-dev
	DEBUG=true SECRET_KEY=typecheck-only $(BIN)/mypy .

PYTEST := $(BIN)/python -m pytest -n 2 -q

pytest: install-dev
	$(PYTEST) $(PYTEST_ARGS)

test: lint typecheck pytest

# The quick loop (about 4 minutes on 2 cores): lint, types and the tests without the slow
# suites, i.e. without the browser tests, the load test (locust against a live server), the
# backup/restore suite and the `slow` tests (pytest markers `browser`, `load`, `backup`,
# `slow`). `slow` marks the tests of `load_demo` (paradewi/demo/tests): each builds the whole
# demo (about sixty requests through the real services, with their files, survey answers and
# back-dated history; several seconds each) and asserts what a first load makes and that a
# second adds nothing, so they cannot share one load. `make test` still runs everything.
CHECK_MARKERS := not browser and not load and not backup and not slow
check: lint typecheck
	$(PYTEST) -m "$(CHECK_MARKERS)" $(PYTEST_ARGS)

# Benchmarks (bench/README.md): builds the data set on SQLite and PostgreSQL (or reuses it),
# runs the load test on each, the page weight and the query plans, and prints
# target | measured | ratio to floor | pass/fail per database. Results go to $(BENCH_OUT).
BENCH_REQUESTS ?= 1000000
BENCH_USERS ?= 1000
BENCH_SPAWN_RATE ?= 2
BENCH_RUN_TIME ?= 120s
BENCH_SQLITE_DIR ?= $(CURDIR)/var/bench-sqlite
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/paradewi_bench
BENCH_OUT ?= $(CURDIR)/var/bench
BENCH_ENV := $(BIN)/python -m bench.load.env
BENCH_LOAD := --users $(BENCH_USERS) --spawn-rate $(BENCH_SPAWN_RATE) --run-time $(BENCH_RUN_TIME)

bench: install-bench
	mkdir -p $(BENCH_OUT)
	PARADEWI_VAR_DIR=$(BENCH_SQLITE_DIR) $(BENCH_ENV) $(BIN)/python -m bench.generate \
		--requests $(BENCH_REQUESTS) --reuse --replace
	PARADEWI_VAR_DIR=$(BENCH_SQLITE_DIR) $(BENCH_ENV) $(BIN)/python -m bench.load $(BENCH_LOAD) \
		--work-dir $(BENCH_OUT)/sqlite --json $(BENCH_OUT)/load-sqlite.json
	DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python -m bench.load.createdb
	DATABASE_URL=$(BENCH_DATABASE_URL) PARADEWI_VAR_DIR=$(BENCH_OUT)/postgresql-var $(BENCH_ENV) \
		$(BIN)/python -m bench.generate --requests $(BENCH_REQUESTS) --reuse --replace
	DATABASE_URL=$(BENCH_DATABASE_URL) PARADEWI_VAR_DIR=$(BENCH_OUT)/postgresql-var $(BENCH_ENV) \
		$(BIN)/python -m bench.load $(BENCH_LOAD) --port 8131 \
		--work-dir $(BENCH_OUT)/postgresql --json $(BENCH_OUT)/load-postgresql.json
	DATABASE_URL=$(BENCH_DATABASE_URL) $(BENCH_ENV) $(BIN)/python -m bench.explain \
		--json $(BENCH_OUT)/explain.json
	$(BIN)/python -m bench.load.pageweight_demo --json $(BENCH_OUT)/pageweight.json \
		|| echo "page weight: bench/pageweight.py failed (see above)."
	$(BIN)/python -m bench.load.table $(BENCH_OUT)

clean:
	rm -rf $(VENV) var .env
