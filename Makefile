# Newsroom: `make run` to try it, `make test` before every commit.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000

.PHONY: run test lint admin migrate seed clean

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

admin: export DEBUG ?= true
admin: $(VENV)/requirements.stamp
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py createsuperuser

test: $(VENV)/requirements-dev.stamp
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(VENV)/requirements-dev.stamp
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles .pytest_cache
