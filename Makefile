# Cluster Portal — the two commands are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
# make run is the embedded demo: SQLite, eager tasks, mail on the console, whatever the shell has.
RUN_ENV := env -u DATABASE_URL -u REDIS_URL -u EMAIL_HOST DJANGO_SETTINGS_MODULE=cluster_portal.settings.local

.PHONY: run test venv migrate demo lint format messages check-deploy ci clean bench-fanout bench-directory bench-registration bench-review

run: $(STAMP)
	$(RUN_ENV) $(BIN)/python manage.py migrate --noinput
	$(RUN_ENV) $(BIN)/python manage.py seed_demo
	@echo "Serving on http://127.0.0.1:8000 — press Ctrl+C to stop."
	$(RUN_ENV) $(BIN)/python manage.py runserver 127.0.0.1:8000

test: $(STAMP)
	$(BIN)/python -m pytest

venv: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (set PYTHON=python3.12, say).")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $@

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Refresh locale/pl after changing texts (needs GNU gettext); commit the .po and .mo.
messages: $(STAMP)
	$(BIN)/python manage.py makemessages --locale pl --ignore '.venv/*' --ignore 'tests/*' --ignore 'bench/*' --no-obsolete --no-wrap
	$(BIN)/python manage.py compilemessages --locale pl --ignore '.venv/*'

# Production refuses to serve without collected static files (portal.E001), so the check
# collects them first, into a temporary STATIC_ROOT that is removed afterwards.
check-deploy: $(STAMP)
	@static_root=$$(mktemp -d) && trap 'rm -rf "$$static_root"' EXIT && \
	export SECRET_KEY="$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
	    ALLOWED_HOSTS=portal.example PORTAL_BASE_URL=https://portal.example \
	    REDIS_URL=redis://127.0.0.1:6379/0 DJANGO_SETTINGS_MODULE=cluster_portal.settings.production \
	    STATIC_ROOT="$$static_root" && \
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0 && \
	$(BIN)/python manage.py check --deploy --fail-level WARNING

# Benchmarks need PostgreSQL and Redis (see bench/README.md); each ends with `ratio: R`.
bench-fanout: $(STAMP)
	$(BIN)/python bench/fanout.py

# The member directory under wrk against a trivial view; PostgreSQL and wrk only.
bench-directory: $(STAMP)
	$(BIN)/python bench/directory.py

# 2,000 registrations for 500 seats through gunicorn; PostgreSQL and Redis.
bench-registration: $(STAMP)
	$(BIN)/python bench/registration.py

# The proposals' admin (a coordinator's session) under wrk against a trivial view; PostgreSQL,
# Redis and wrk.
bench-review: $(STAMP)
	$(BIN)/python bench/review.py

ci:
	bash .ci/run

clean:
	rm -rf $(VENV) db.sqlite3 media private-media staticfiles .test-media .test-private-media test-artifacts .pytest_cache .ruff_cache
