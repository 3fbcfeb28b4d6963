# The two commands a newcomer needs: `make run` and `make test`. Everything else is optional.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
ASSETS := node_modules/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# Links in emails point at the address `make serve` serves, unless SITE_URL says otherwise.
SITE_URL ?= http://$(HOST):$(PORT)

.PHONY: run test test-reuse-db install assets migrate seed serve worker beat lint format bench check-deploy clean

run: install assets migrate seed serve

install: $(STAMP)

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --upgrade pip >/dev/null
	$(BIN)/pip install -e ".[dev]"
	touch $(STAMP)

# Bootstrap, htmx and axe-core come from the npm registry; whitenoise serves them from node_modules.
assets: $(ASSETS)

$(ASSETS): package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $(ASSETS)

migrate: install
	$(BIN)/python manage.py migrate --noinput

seed: install
	$(BIN)/python manage.py seed_demo

serve: install assets
	@echo "Serving at http://$(HOST):$(PORT)/ (demo logins are printed above)"
	SITE_URL=$(SITE_URL) $(BIN)/python manage.py runserver $(HOST):$(PORT)

# The suite runs in parallel (pytest-xdist), one worker per CPU, each with its own test database
# (test_<name>_gw0, _gw1 ...). `make test` (what CI runs) creates them afresh and prints the 20 slowest
# tests; `make test-reuse-db` keeps them between runs. PYTEST_WORKERS=0 runs in one process.
PYTEST_WORKERS ?= auto
PYTEST_PARALLEL = -n $(PYTEST_WORKERS) --dist loadgroup

test: install assets
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest $(PYTEST_PARALLEL) --create-db --durations=20 $(PYTEST_ARGS)

test-reuse-db: install assets
	$(BIN)/pytest $(PYTEST_PARALLEL) --reuse-db $(PYTEST_ARGS)

# One worker for both queues here: the default one (emails, reminders, sweeps) and the renders' (PDF packs).
WORKER_QUEUES ?= commissioning,render

worker: install
	SITE_URL=$(SITE_URL) $(BIN)/celery -A commissioning worker -l INFO -Q $(WORKER_QUEUES)

beat: install
	$(BIN)/celery -A commissioning beat -l INFO

# ruff, the layers contract in pyproject.toml (tests/test_layers.py runs it as well) and mypy over the typed modules.
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-logo
	$(BIN)/mypy

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

check-deploy: install
	DEBUG=0 SECRET_KEY=check-deploy-$$(date +%s)-a-long-enough-random-looking-secret-value ALLOWED_HOSTS=example.org \
		$(BIN)/python manage.py check --deploy --fail-level WARNING

bench: install assets
	$(BIN)/python bench/run.py $(if $(SCALE),--scale $(SCALE))

clean:
	rm -rf $(VENV) node_modules staticfiles artifacts
