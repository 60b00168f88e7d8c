# Two commands for a new user (see README.md):
#   make demo   — install, migrate a SQLite database, load the demo data, serve on http://127.0.0.1:$(PORT)/
#   make test   — install (Chromium included) and run the whole test suite
# Needs only Python >= 3.11 and make; Node.js/npm and Chromium are installed from Debian's packages if missing.

PYTHON ?= python3
VENV ?= .venv
PORT ?= 8000
PROVIDER_PORT ?= 8001
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = "0" ] || echo sudo)
PYTEST_ARGS ?=

.PHONY: demo test install assets translations chromium lint lock serve clean

demo: install assets translations
	IPM_REFERENCE_PROVIDER_URL=http://127.0.0.1:$(PROVIDER_PORT)/verify $(BIN)/ipm demo
	@echo "IPM is at http://127.0.0.1:$(PORT)/ — sign in with one of the accounts above (Ctrl+C stops it)."
	@# The background worker (mail, imports…) and the IPM Connected reference provider (the demo's secured brand,
	@# docs/reference-provider.md) run beside the web server and stop with it. `ipm demo` wrote the provider's secret.
	$(BIN)/ipm db_worker --interval 1 --no-startup-delay & worker=$$!; \
		$(BIN)/python -m ipm_reference_provider serve --host 127.0.0.1 --port $(PROVIDER_PORT) \
			--db var/reference-provider.sqlite3 --secret-file var/reference-provider.secret --seed-demo & provider=$$!; \
		trap 'kill $$worker $$provider 2>/dev/null' EXIT INT TERM; \
		$(BIN)/ipm runserver 127.0.0.1:$(PORT) --noreload

test: install assets translations chromium
	$(BIN)/pytest $(PYTEST_ARGS)

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml requirements/lock.txt
	$(PYTHON) -c 'import sys; sys.exit("IPM needs Python 3.11 or newer") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements/lock.txt
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

assets: node_modules/.installed

node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "Installing Node.js and npm from Debian's packages"; \
		$(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq --no-install-recommends nodejs npm; }
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

translations: install
	$(BIN)/ipm compiletranslations

chromium:
	@command -v chromium >/dev/null 2>&1 || { echo "Installing Debian's Chromium for the browser tests"; \
		$(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq --no-install-recommends chromium fonts-noto-core fonts-noto-cjk; }

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Re-pin the dependencies after changing pyproject.toml.
lock: install
	$(BIN)/pip-compile --quiet --strip-extras --extra dev --no-emit-index-url --no-emit-find-links \
		--output-file requirements/lock.txt pyproject.toml

clean:
	rm -rf $(VENV) node_modules var test-output
