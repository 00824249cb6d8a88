# congso — two commands: `make run` (demo at http://127.0.0.1:8000) and `make test`.
# Everything else here is what those two need; each step runs only when its inputs changed.

PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null && echo $$p && break; done)
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
DEBIAN_PACKAGES := python3-venv gettext fonts-noto-core fonts-liberation2 libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 nodejs npm
BROWSER_PACKAGES := chromium

.PHONY: run test setup check-system install-system lint format migrate demo serve e2e messages clean help prod-check bench

help:
	@echo "make run    set up, load the Cà Mau demo and serve it at http://$(HOST):$(PORT) (with the task worker)"
	@echo "make test   set up and run ruff and the whole test suite (SQLite)"
	@echo "make e2e    browser smoke test (Debian's Chromium)"
	@echo "make install-system   apt-get the Debian packages congso needs"

run: setup migrate demo serve

test: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run
	env -u DATABASE_URL $(VENV)/bin/pytest

setup: check-system $(VENV)/.installed static/vendor/.installed

check-system:
	@test -n "$(PYTHON)" || { echo "congso needs Python 3.11 or newer (Debian: apt-get install python3 python3-venv)"; exit 1; }
	@$(PYTHON) -c 'import ensurepip' 2>/dev/null || { echo "Python's venv module is missing: sudo apt-get install python3-venv (or: make install-system)"; exit 1; }
	@command -v npm >/dev/null 2>&1 || { echo "npm is missing: sudo apt-get install nodejs npm (or: make install-system)"; exit 1; }
	@missing=""; for p in fonts-noto-core libpango-1.0-0; do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ] && command -v dpkg-query >/dev/null 2>&1; then \
		echo "note: PDF forms need$$missing (make install-system); everything else works without them"; fi

install-system:
	@if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	$$SUDO apt-get update && $$SUDO apt-get install -y --no-install-recommends $(DEBIAN_PACKAGES) $(BROWSER_PACKAGES)

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

# Front-end packages come from npm and are served by congso itself: never from a CDN.
static/vendor/.installed: node_modules/.package-lock.json
	rm -rf static/vendor
	mkdir -p static/vendor/htmx static/vendor/echarts static/vendor/leaflet
	cp node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx/
	cp node_modules/echarts/dist/echarts.min.js static/vendor/echarts/
	cp -r node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.js.map node_modules/leaflet/dist/leaflet.css node_modules/leaflet/dist/images static/vendor/leaflet/
	touch $@

migrate: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput --verbosity 0

demo: migrate
	$(PY) manage.py demo_load

# The web server and the task worker together; Ctrl-C stops both.
serve:
	@echo "congso: http://$(HOST):$(PORT)/  (Ctrl-C to stop)"
	@scripts/serve.sh $(HOST):$(PORT)

e2e: setup
	$(VENV)/bin/pytest e2e

lint:
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format:
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Regenerate congso's Vietnamese catalog after changing user-facing text, then translate the new entries.
# Apps that keep their own catalog (congso/<app>/locale); the rest share locale/.
APP_CATALOGS := accounts audit security payments appointments outreach indicators programme

messages: setup
	$(PY) manage.py makemessages --locale vi --ignore ".venv/*" --ignore "node_modules/*" --ignore "locale_vendor/*" \
		$(foreach app,$(APP_CATALOGS),--ignore "congso/$(app)/*")
	for app in $(APP_CATALOGS); do (cd congso/$$app && ../../$(PY) ../../manage.py makemessages --locale vi); done
	$(PY) manage.py compilemessages --locale vi --ignore ".venv/*" --ignore "node_modules/*"

clean:
	rm -rf $(VENV) node_modules static/vendor var/staticfiles

# Django's deployment checks with deploy/congso.env.example's production values (a throw-away secret).
prod-check: setup
	deploy/prod_check.sh

# Province-scale benchmark on PostgreSQL (docs/benchmarks.md): generate into a re-created database, load
# through gunicorn, faults on a throw-away cluster; then rewrite the report's results section.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/congso_bench
BENCH_DOSSIERS ?= 1000000
bench: setup
	$(PY) -m bench.generate --recreate --database-url $(BENCH_DATABASE_URL) --dossiers $(BENCH_DOSSIERS) --json var/bench/generate.json
	$(PY) -m bench.load --database-url $(BENCH_DATABASE_URL) --json var/bench/load.json
	-$(PY) -m bench.faults --json var/bench/faults.json
	$(PY) -m bench.load.report var/bench docs/benchmarks.md
