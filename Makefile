# The three commands of the README. See tools/*.py for the options (environment).
# After `make setup` downloaded Odoo, .var/setup.mk names the Python of its
# virtualenv (PYTHON=... on the command line still wins).
-include .var/setup.mk
PYTHON ?= python3

.PHONY: setup test run lint format i18n bench

setup:  ## install what the project needs and check Odoo and PostgreSQL
	PYTHON=$(PYTHON) bash tools/setup.sh

test:   ## both test tiers; ends with "N passed, N failed"
	$(PYTHON) tools/run_tests.py

run:    ## serve a demo database in French on http://localhost:8069
	$(PYTHON) tools/run_server.py

lint:   ## linters only (they also run inside `make test`)
	$(PYTHON) -m pytest -q tests/test_lint.py

format: ## apply ruff's fixes and formatting
	$(PYTHON) -m ruff check --fix . && $(PYTHON) -m ruff format .

i18n:   ## regenerate each addon's .pot and merge new terms into fr.po
	$(PYTHON) tools/i18n.py
