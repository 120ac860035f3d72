# Coordination Tracker: `make run` serves the demo (on HOST:PORT, default 127.0.0.1:8000),
# `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
export SECRET_KEY ?= insecure-key-for-local-runs-and-tests-only

.PHONY: run test bench load lint format messages compilemessages install backup restore

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed

compilemessages: install
	@if [ -d locale ] && command -v msgfmt >/dev/null; then $(PY) manage.py compilemessages -v0 --ignore=.venv; \
	elif [ -d locale ]; then echo "msgfmt not found (apt-get install gettext): pages stay in English."; fi

# SITE_URL: the address load_demo prints and the reminders' links use.
run: compilemessages
	DEBUG=on $(PY) manage.py migrate --noinput
	DEBUG=on SITE_URL=http://$${HOST:-127.0.0.1}:$${PORT:-8000} $(PY) manage.py load_demo
	DEBUG=on SITE_URL=http://$${HOST:-127.0.0.1}:$${PORT:-8000} $(PY) manage.py runserver $${HOST:-127.0.0.1}:$${PORT:-8000}

# Browser tests run apart: their transactional flushes would empty the groups that the data
# migration made for the tests after them.
test: compilemessages
	$(PY) -m pytest -m "not e2e" -n 2
	$(PY) -m pytest -m e2e

bench: install
	$(PY) -m bench

# make load [USERS=50] [SECONDS=120] [REDIS=1]: locust against gunicorn on the bench data set
# (docs/load.md); REDIS=1 caches in Redis (127.0.0.1:6379/12) instead of each worker's memory.
load: install
	$(PY) -m load $(if $(USERS),--users=$(USERS)) $(if $(SECONDS),--seconds=$(SECONDS)) $(if $(REDIS),--redis)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DEBUG=on $(PY) manage.py makemigrations --check --dry-run

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

messages: install
	DEBUG=on $(PY) manage.py makemessages -l vi -l hi --no-location --ignore=.venv --ignore=staticfiles --ignore=tests --ignore=docs --ignore=bench --ignore=load
	DEBUG=on $(PY) manage.py compilemessages -v0 --ignore=.venv

backup: install
	$(PY) manage.py backup

# make restore BACKUP=backups/coordination-YYYYmmdd-HHMMSS.backup
restore: install
	$(PY) manage.py restore $(BACKUP)
