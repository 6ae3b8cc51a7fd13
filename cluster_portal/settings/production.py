"""Production: refuses to start without its secrets; passes `manage.py check --deploy`."""

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .env import env_bool, env_int, env_str

if not SECRET_KEY:  # noqa: F405
    raise ImproperlyConfigured("Set SECRET_KEY: production will not start with an empty key.")
if not ALLOWED_HOSTS:  # noqa: F405
    raise ImproperlyConfigured("Set ALLOWED_HOSTS (comma-separated host names).")
# Without Redis, tasks would run inside web requests and the cache (allauth's rate limits,
# the page cache) would be one per process: with N workers an attacker gets N times the
# guesses. Production fails closed instead.
if not REDIS_URL:  # noqa: F405
    raise ImproperlyConfigured(
        "Set REDIS_URL (e.g. redis://redis:6379/0): production needs Redis for Celery and for "
        "the cache that holds the login rate limits."
    )
# Mails are built in workers, outside any request: their links need the public address.
_base_url = urlsplit(env_str("PORTAL_BASE_URL"))
if _base_url.scheme not in {"http", "https"} or not _base_url.netloc:
    raise ImproperlyConfigured(
        "Set PORTAL_BASE_URL to the portal's public address, e.g. https://portal.example: "
        "the links in e-mails point there."
    )

DEBUG = False
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
# Behind a TLS-terminating proxy that sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
