# syntax=docker/dockerfile:1
#
# Cluster Portal: one image for web (gunicorn), worker and beat (celery), and migrate.
#   docker build -t cluster-portal .
# Settings come from the environment at run time (see cluster_portal/settings/production.py);
# nothing secret is baked into the image.

# --- Translations -----------------------------------------------------------------------
# Compile .po -> .mo here so gettext (msgfmt) stays out of the runtime image. Same command
# Django's `compilemessages` runs; does nothing while the project has no .po files.
FROM python:3.11-slim AS messages
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN find . -name '*.po' -path '*/LC_MESSAGES/*' -exec sh -c \
        'for po; do msgfmt --check-format -o "${po%.po}.mo" "$po" || exit 1; done' _ {} +

# --- Runtime ----------------------------------------------------------------------------
FROM python:3.11-slim

# manage.py and celery.py default to the local (DEBUG) settings; an image never should.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore \
    DJANGO_SETTINGS_MODULE=cluster_portal.settings.production \
    STATIC_ROOT=/app/staticfiles

RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --home-dir /home/app --create-home \
        --shell /usr/sbin/nologin app

# Dependencies first, so a code change does not reinstall them. pyproject.toml has
# `[tool.setuptools] packages = []`: `pip install .` installs only the dependencies; the
# application runs from the source tree copied into /app below.
WORKDIR /tmp/build
COPY pyproject.toml ./
RUN pip install . && rm -rf /tmp/build

WORKDIR /app
COPY --from=messages /src/ /app/

# Static files are collected at build time into STATIC_ROOT (/app/staticfiles), where
# WhiteNoise serves them from; without them the server refuses to start (portal.E001).
# Production settings refuse to load without SECRET_KEY, ALLOWED_HOSTS, REDIS_URL and
# PORTAL_BASE_URL, so this step alone gets throw-away values (collectstatic connects to
# neither Redis nor the database); they are not kept in the image's environment.
ARG COLLECTSTATIC_SECRET_KEY=collectstatic-build-step-only-not-a-real-secret
RUN SECRET_KEY="$COLLECTSTATIC_SECRET_KEY" ALLOWED_HOSTS=localhost \
        REDIS_URL=redis://localhost:6379/0 PORTAL_BASE_URL=http://localhost \
        python manage.py collectstatic --noinput

# Code stays root-owned (read-only for the app user); only uploads are writable. Creating
# /app/media here lets a fresh named volume mounted on it inherit the app user's ownership.
RUN mkdir -p /app/media /app/private-media && chown app:app /app/media /app/private-media

USER app

EXPOSE 8000

CMD ["gunicorn", "cluster_portal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-", "--logger-class", "cluster_portal.gunicorn_logging.RedactingLogger"]
