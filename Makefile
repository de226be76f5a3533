# Tandem: `make demo` to try it, `make test` to check it. Both install what is missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
TANDEM := $(BIN)/python manage.py
PORT ?= 8000
VENDOR := tandem/static/vendor

.PHONY: demo serve test test-sqlite test-postgres bench lint format install static migrate seed clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Tandem needs Python 3.11 or newer as $(PYTHON)."; exit 1; }
	@$(PYTHON) -m venv --help >/dev/null 2>&1 && $(PYTHON) -c 'import ensurepip' 2>/dev/null || { echo "Python's venv module is missing: sudo apt-get install -y python3-venv"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml requirements.lock
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	@$(BIN)/python -c 'import weasyprint' 2>/dev/null || { echo "WeasyPrint needs Pango to print proposals: sudo apt-get install -y libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0"; exit 1; }
	touch $@

install: $(VENV)/.installed

node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm is missing (front-end libraries come from it): sudo apt-get install -y npm"; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Front-end libraries come from npm; minified files travel with their source maps.
$(VENDOR)/.copied: node_modules/.installed
	mkdir -p $(VENDOR)/bootstrap $(VENDOR)/bootstrap-icons/fonts
	cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/
	cp node_modules/sortablejs/Sortable.min.js $(VENDOR)/
	cp node_modules/chart.js/dist/chart.umd.min.js node_modules/chart.js/dist/chart.umd.min.js.map $(VENDOR)/
	mkdir -p $(VENDOR)/frappe-gantt
	cp node_modules/frappe-gantt/dist/frappe-gantt.umd.js node_modules/frappe-gantt/dist/frappe-gantt.css $(VENDOR)/frappe-gantt/
	cp node_modules/bootstrap/dist/css/bootstrap.min.css node_modules/bootstrap/dist/css/bootstrap.min.css.map $(VENDOR)/bootstrap/
	cp node_modules/bootstrap/dist/js/bootstrap.bundle.min.js node_modules/bootstrap/dist/js/bootstrap.bundle.min.js.map $(VENDOR)/bootstrap/
	cp node_modules/bootstrap-icons/font/bootstrap-icons.min.css $(VENDOR)/bootstrap-icons/
	cp node_modules/bootstrap-icons/font/fonts/* $(VENDOR)/bootstrap-icons/fonts/
	touch $@

static: $(VENDOR)/.copied

migrate: install
	DEBUG=$${DEBUG:-true} $(TANDEM) migrate --noinput
	DEBUG=$${DEBUG:-true} $(TANDEM) createcachetable

# serve.py prints the sign-ins once the server answers, so they stay last on the screen.
demo: install static
	@DEBUG=$${DEBUG:-true} $(TANDEM) collectstatic --noinput -v 0
	@DEBUG=$${DEBUG:-true} $(TANDEM) migrate --noinput -v 0
	@DEBUG=$${DEBUG:-true} $(TANDEM) createcachetable
	@DEBUG=$${DEBUG:-true} $(TANDEM) seed demo --if-empty
	@DEBUG=$${DEBUG:-true} TANDEM_COMPANY_NAME="$${TANDEM_COMPANY_NAME:-Northlight AV & Staging}" TANDEM_COMPANY_LOGO_URL="$${TANDEM_COMPANY_LOGO_URL:-/static/demo/northlight-logo.svg}" TANDEM_BRAND_COLOUR="$${TANDEM_BRAND_COLOUR:-#0b6e4f}" $(BIN)/python scripts/serve.py --port $(PORT)

test: install static
	@$(BIN)/python scripts/check_browser.py
	$(MAKE) --no-print-directory test-sqlite
	@if [ -n "$$TANDEM_TEST_DATABASE_URL" ]; then $(MAKE) --no-print-directory test-postgres; \
	else echo "TANDEM_TEST_DATABASE_URL is not set: the PostgreSQL run was skipped."; fi

test-sqlite:
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(BIN)/pytest -q -n 2 --dist loadgroup --ds=tandem.test_settings

test-postgres:
	TANDEM_TEST_DATABASE_RUN=$$TANDEM_TEST_DATABASE_URL DJANGO_ALLOW_ASYNC_UNSAFE=true $(BIN)/pytest -q -n 2 --dist loadgroup --ds=tandem.test_settings

bench: install
	$(BIN)/python bench/run.py

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	DEBUG=true $(TANDEM) makemigrations --check --dry-run

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) node_modules $(VENDOR) var
