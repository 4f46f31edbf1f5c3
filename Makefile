# Greenlight: the two commands a newcomer needs are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed
# The test database is kept between runs (pytest --reuse-db); it is recreated when a migration
# file or DATABASE_URL differs from the last run that got as far as running the tests.
TEST_DB_STAMP := var/test-db.migrations
# On another port, links in emails follow it (SITE_URL defaults to port 8000), unless SITE_URL is set.
RUN_ENV := $(if $(and $(filter-out 8000,$(PORT)),$(filter undefined,$(origin SITE_URL))),SITE_URL=http://127.0.0.1:$(PORT))

.PHONY: setup run test lint browser node_modules services worker beat clean bench bench-http wrk

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

## Install, migrate, seed the demo and serve on the embedded default (SQLite, in-process tasks, console email).
run: setup
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	@echo ""
	@echo "Starting Greenlight at http://127.0.0.1:$(PORT)/  (password for every demo login: greenlight-demo)"
	@echo "  client:     manager@acme.test, approver@acme.test, approver2@acme.test, manager@globex.test"
	@echo "  initech:    manager@initech.test; lead@, cfo@, controller@initech.test (a two-step policy)"
	@echo "  freelancer: ada@, grace@, linus@, margaret@freelancers.test"
	@echo "  admin:      admin@greenlight.test (superuser), psm@greenlight.test (policies)  ->  http://127.0.0.1:$(PORT)/admin/"
	@echo ""
	$(RUN_ENV) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

## Install everything (Debian's chromium included) and run the whole suite on PostgreSQL and Redis.
test: setup browser node_modules
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	DATABASE_URL=sqlite:///:memory: $(BIN)/python manage.py makemigrations --check --dry-run
	@mkdir -p var
	@hash=$$( { echo "$${DATABASE_URL:-}"; sha256sum */migrations/*.py; } | sha256sum | cut -d' ' -f1); \
	if [ "$$(cat $(TEST_DB_STAMP) 2>/dev/null)" = "$$hash" ]; then create=; else \
		create=--create-db; echo "Migrations or DATABASE_URL changed: recreating the test database"; fi; \
	$(BIN)/python -m pytest $$create $(PYTEST_ARGS); status=$$?; \
	if [ $$status -le 1 ]; then echo "$$hash" > $(TEST_DB_STAMP); fi; \
	exit $$status

lint: setup
	$(BIN)/ruff check .

## Print benchmark figures (rows, SQL queries, median/p95 ms) on PostgreSQL; empties DATABASE_URL's *bench* database.
bench: setup
	$(BIN)/python -m benchmarks.run $(BENCH_ARGS)

## The busy pages over HTTP: gunicorn + production settings, wrk against a bare view, 10k to 1M requests.
## Drops and reloads its own *bench_http* databases; BENCH_HTTP_ARGS="--sizes 10000,100000 --duration 3".
bench-http: setup wrk
	$(BIN)/python -m benchmarks.http $(BENCH_HTTP_ARGS)

## Debian's wrk for bench-http (installed with apt if missing).
wrk:
	@command -v wrk >/dev/null || { \
		echo "Installing Debian's wrk for the HTTP benchmark"; \
		if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq wrk; }

## Debian's chromium for the Playwright tests (never a downloaded browser).
browser:
	@test -x /usr/bin/chromium || { \
		echo "Installing Debian's chromium for the browser tests"; \
		if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium; }

## axe-core for the accessibility tests, pinned by package-lock.json (npm ci only when it is missing).
node_modules:
	@test -f node_modules/axe-core/axe.min.js || npm ci --no-audit --no-fund

## Start local PostgreSQL and Redis if they are not answering (Debian packages).
services:
	@pg_isready -h 127.0.0.1 -p 5432 -q || pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start
	@redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 || redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no
	@for i in $$(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
	@for i in $$(seq 1 30); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 1; done

worker: setup
	DJANGO_SETTINGS_MODULE=$${DJANGO_SETTINGS_MODULE:-config.settings.local} $(BIN)/celery -A config worker --loglevel=INFO

beat: setup
	DJANGO_SETTINGS_MODULE=$${DJANGO_SETTINGS_MODULE:-config.settings.local} $(BIN)/celery -A config beat --loglevel=INFO --schedule var/celerybeat-schedule

clean:
	rm -rf $(VENV) staticfiles var/db.sqlite3 node_modules
