# Newsroom: `make run` to try it, `make test` before every commit.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
EDGE_PORT ?= 6081

.PHONY: run serve test check lint admin editor clean

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

# The production stack on this machine: Varnish (the edge, on EDGE_PORT) in front of gunicorn
# (on PORT), PostgreSQL, Redis, hashed static files, and the background worker beside it (all
# stopped with gunicorn). Plain http (HTTPS=false) so a browser needs no certificate; a fresh
# random SECRET_KEY unless you set one. The database is created if missing. README "The edge".
serve: export EDGE_PURGE_URL ?= http://127.0.0.1:$(EDGE_PORT)/
serve: export TRUSTED_PROXY_COUNT ?= 1
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
	@command -v varnishd >/dev/null || { echo "make serve runs Varnish: apt-get install varnish varnish-modules"; exit 1; }
	sed 's/.port = "8000";/.port = "$(PORT)";/' deploy/varnish/newsroom.vcl >$(VENV)/newsroom.vcl
	varnishd -F -n $(CURDIR)/$(VENV)/varnish -a 127.0.0.1:$(EDGE_PORT) -f $(CURDIR)/$(VENV)/newsroom.vcl \
	  -s malloc,256m -T none & varnish=$$!; \
	$(BIN)/python manage.py run_worker & worker=$$!; trap 'kill $$worker $$varnish' EXIT; $(BIN)/gunicorn newsroom.wsgi

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

# The fast loop while working: no slow tests (processes, races, schema exploration,
# big sites, the browser) and fewer Hypothesis examples. `make test` before a commit.
check: $(VENV)/requirements-dev.stamp
	HYPOTHESIS_PROFILE=fast $(BIN)/pytest -m "not slow" $(PYTEST_ARGS)

lint: $(VENV)/requirements-dev.stamp
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles .pytest_cache
