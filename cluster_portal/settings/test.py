"""pytest: SQLite in memory unless DATABASE_URL points at PostgreSQL; Redis only if REDIS_URL."""

from .base import *  # noqa: F403
from .env import env_str

SECRET_KEY = "test-only-not-secret"  # noqa: S105
DEBUG = False
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PORTAL_DEMO_MODE = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = BASE_DIR / ".test-media"  # noqa: F405
PRIVATE_MEDIA_ROOT = BASE_DIR / ".test-private-media"  # noqa: F405
STORAGES = {
    **STORAGES,  # noqa: F405
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Tests that are about the page cache switch it on themselves.
PORTAL_ANONYMOUS_PAGE_CACHE_SECONDS = 0
# Tests share one process; rate limits would leak between them.
ACCOUNT_RATE_LIMITS = False
# Keep the tests' cache apart from anything make run or a developer's worker keeps in Redis.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Tasks run in-process unless a test starts a real worker (tests/conftest.py), which
# switches eager mode off for its duration.
CELERY_TASK_ALWAYS_EAGER = True
if not env_str("REDIS_URL"):
    CELERY_BROKER_URL = "memory://"

# Serve static files straight from static/ without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
