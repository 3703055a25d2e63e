# fangtan — two commands: `make run` (serve the demo) and `make test` (every test, browsers included,
# and the built wheel installed into a clean venv and started: tests/e2e/test_installed_wheel_serves_from_a_clean_venv.py).
# Everything they need is installed here, so a fresh clone on a fresh machine works.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
DATA_DIR ?= data
HOST ?= 127.0.0.1
PORT ?= 8000
PWA_SOURCES := $(shell find pwa -path pwa/node_modules -prune -o -path pwa/dist -prune -o -type f -print 2>/dev/null)

.PHONY: run test test-python test-pwa setup system-deps pwa bench clean help

help:
	@echo "make run    - set everything up and serve the demo on http://$(HOST):$(PORT)"
	@echo "make test   - set everything up and run every test (Python, PWA unit, real-browser)"
	@echo "make bench  - measure against budgets and peers, written to bench/results.md"

# --- Python -------------------------------------------------------------------------------
$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,deploy]'
	touch $@

setup: $(VENV)/.installed pwa

# --- PWA (only once pwa/ has a package.json) -------------------------------------------
# Installs exactly the versions in package-lock.json. Not `npm ci`: the registry reachable here
# serves only some platforms' optional binaries (e.g. no darwin builds of rollup), so the lock
# cannot list every platform's optional package and `npm ci` refuses it as out of sync;
# `npm install --no-save` installs the locked versions and never rewrites the lock.
pwa/node_modules/.installed: pwa/package-lock.json pwa/package.json
	cd pwa && npm install --no-save --no-audit --no-fund
	touch $@

pwa/dist/index.html: pwa/node_modules/.installed $(PWA_SOURCES)
	cd pwa && npm run build

ifneq ($(wildcard pwa/package.json),)
pwa: pwa/dist/index.html
test-pwa: pwa/node_modules/.installed
	cd pwa && npm test
else
pwa:
	@echo "pwa/ has no package.json yet: serving the API only"
test-pwa:
	@echo "pwa/ has no package.json yet: no PWA unit tests"
endif

# --- System packages for browser and deploy tests (Debian; installed when root and missing) ---
# chromium + fonts: the browser tests; caddy: the shipped Caddyfile run for real; libnss3-tools
# (certutil): Chromium trusting the test CA in the HTTPS browser test; systemd (systemd-analyze):
# the shipped units verified (tests/e2e/test_deploy_doc_walkthrough.py); libreoffice-*-nogui (soffice)
# and poppler-utils (pdftotext): the exported documents rendered to PDF and read back
# (tests/unit/server/followup/test_documents_render_with_libreoffice.py); buildah + debootstrap: the
# Dockerfile built without a Docker engine and the image run, podman + runc: deploy/compose.yaml run
# (tests/e2e/test_container_image.py).
SYSTEM_PACKAGES := chromium fonts-noto-cjk caddy libnss3-tools systemd libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils \
	buildah debootstrap podman runc
system-deps:
	@if ! command -v chromium >/dev/null || ! fc-list 2>/dev/null | grep -qi "noto.*cjk" \
	    || ! command -v caddy >/dev/null || ! command -v certutil >/dev/null \
	    || ! command -v systemd-analyze >/dev/null || ! command -v soffice >/dev/null \
	    || ! command -v pdftotext >/dev/null || ! command -v buildah >/dev/null \
	    || ! command -v debootstrap >/dev/null || ! command -v podman >/dev/null \
	    || ! command -v runc >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing Debian $(SYSTEM_PACKAGES)"; \
	    apt-get -o DPkg::Lock::Timeout=600 update -qq \
	      && DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq $(SYSTEM_PACKAGES) >/dev/null; \
	  else \
	    echo "chromium, fonts-noto-cjk, caddy, libnss3-tools, systemd, libreoffice (soffice) poppler-utils (pdftotext), buildah, debootstrap, podman or runc missing and not root: install them (apt-get install $(SYSTEM_PACKAGES))" >&2; \
	    exit 1; \
	  fi; \
	fi

# --- The two commands --------------------------------------------------------------------
run: setup
	$(PY) -m server.cli init --data-dir $(DATA_DIR)
	$(PY) -m server.cli demo --if-empty --data-dir $(DATA_DIR)
	@echo
	@echo "  访谈 fangtan: http://$(HOST):$(PORT)/"
	@echo
	$(PY) -m server.cli serve --host $(HOST) --port $(PORT) --data-dir $(DATA_DIR)

test: setup system-deps test-pwa test-python

test-python: $(VENV)/.installed
	$(VENV)/bin/ruff check server sync tests
	$(VENV)/bin/lint-imports
	$(PY) -m pytest -q

# The peer fangtan is measured against (bench/peer.py): pouchdb-server in its own folder, the locked
# versions installed with `npm install --no-save` for the same reason as the PWA's (see above).
bench/pouchdb/node_modules/.installed: bench/pouchdb/package-lock.json bench/pouchdb/package.json
	cd bench/pouchdb && npm install --no-save --no-audit --no-fund
	touch $@

bench: setup system-deps bench/pouchdb/node_modules/.installed
	$(PY) -m bench

clean:
	rm -rf $(VENV) pwa/node_modules pwa/dist .pytest_cache
