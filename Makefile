# The two commands a newcomer needs (see README.md):
#   make run   installs and starts the portal on embedded defaults (SQLite, file broker, demo data);
#              `PORT=8001 make run` (or `make run PORT=8001`) serves on another port
#   make test  installs what the tests need, starts throwaway PostgreSQL + Redis, runs everything
#   make test-fast  the same servers, without the slow groups (browser, jobs, subprocess, fuzz)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# make run's port; links in printed logins and e-mails follow it unless SITE_URL is set.
PORT ?= 8000
SITE_URL ?= http://127.0.0.1:$(PORT)
DEV_ENV := DJANGO_DEBUG=1 SITE_URL=$(SITE_URL) PATH=$(CURDIR)/$(BIN):$$PATH

.PHONY: run test test-fast install lint format messages schema clean

$(BIN)/.installed: pyproject.toml
	scripts/bootstrap.sh "$(PYTHON)" "$(VENV)"
	touch $@

install: $(BIN)/.installed

run: install
	$(DEV_ENV) python manage.py migrate --noinput
	$(DEV_ENV) python manage.py seed_demo
	@echo "Starting web on http://127.0.0.1:$(PORT) with a Celery worker + beat beside it (Ctrl-C stops all)."
	$(DEV_ENV) honcho -f Procfile.dev start --port $(PORT)

test: install
	scripts/test.sh

# A quick local loop: skips the lint/schema/audit checks and the slow test groups (markers
# applied by directory in tests/conftest.py). CI runs `make test`, which runs everything.
test-fast: install
	SKIP_CHECKS=1 scripts/test.sh -m "not e2e and not jobs and not subprocess and not fuzz"

lint: install
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format . && $(BIN)/ruff check --fix .

# Regenerate the translation catalogues (needs gettext) and compile them.
messages: install
	$(DEV_ENV) python manage.py makemessages -l zh_Hans -l en --no-obsolete --ignore '.venv/*' --ignore 'static/*'
	$(DEV_ENV) python manage.py compilemessages --ignore '.venv/*'

schema: install
	$(DEV_ENV) python manage.py spectacular --file var/schema.yml --validate --fail-on-warn

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache .ruff_cache
