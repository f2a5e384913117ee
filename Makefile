# Newsroom: `make run` to try it, `make test` before every commit.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000

.PHONY: run serve test lint admin editor clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall only when a requirements file changes.
$(VENV)/requirements.stamp: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/requirements-dev.stamp: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/requirements.stamp

# Local development: DEBUG on (dev-only secret key), SQLite unless DATABASE_URL is set.
run: export DEBUG ?= true
run: $(VENV)/requirements.stamp
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py import_posts seeds/
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# The production stack on this machine: PostgreSQL, Redis, hashed static files,
# gunicorn, and the background worker beside it (stopped with it). Plain http (HTTPS=false) so a browser needs no certificate; a fresh
# random SECRET_KEY unless you set one. The database is created if missing.
serve: export DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/newsroom
serve: export REDIS_URL ?= redis://127.0.0.1:6379/0
serve: export HTTPS ?= false
serve: export ALLOWED_HOSTS ?= 127.0.0.1,localhost
serve: export GUNICORN_BIND ?= 127.0.0.1:$(PORT)
serve: export SECRET_KEY ?= $(shell $(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')
serve: $(VENV)/requirements.stamp
	psql "$$DATABASE_URL" -qc "" 2>/dev/null || createdb --maintenance-db="$${DATABASE_URL%/*}/postgres" "$${DATABASE_URL##*/}"
	$(BIN)/python manage.py collectstatic --no-input -v0
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py import_posts seeds/
	$(BIN)/python manage.py run_worker & worker=$$!; trap 'kill $$worker' EXIT; $(BIN)/gunicorn newsroom.wsgi

admin: export DEBUG ?= true
admin: $(VENV)/requirements.stamp
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py createsuperuser

# An everyday editor account: staff, in the Editors group (no deletes, no user admin).
# EDITOR_NAME picks the user name; the password is asked for (or $$EDITOR_PASSWORD).
editor: export DEBUG ?= true
editor: $(VENV)/requirements.stamp
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py create_editor $(or $(EDITOR_NAME),editor)

test: $(VENV)/requirements-dev.stamp
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(VENV)/requirements-dev.stamp
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles .pytest_cache
