"""Settings shared by every environment. Values that differ come from the environment."""

from pathlib import Path

from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from .env import database_from_url, env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = env_str("SECRET_KEY")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Demo mode is what `make run` serves: printed logins, no MFA demanded from staff.
PORTAL_DEMO_MODE = env_bool("PORTAL_DEMO_MODE", False)

INSTALLED_APPS = [
    "cluster_portal.apps.ClusterAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django.forms",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_filters",
    "django_htmx",
    "cluster_portal.core",
    "members",
    "competence_centres",
    "projects",
    "events",
    "cluster_portal.notifications",
    "cluster_portal.pages",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "cluster_portal.urls"
WSGI_APPLICATION = "cluster_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "cluster_portal.pages.context_processors.site",
                "cluster_portal.notifications.context_processors.unread_notifications",
            ],
        },
    },
]

# Widgets render through the templates above, so templates/ can override an admin widget's
# markup (templates/admin/widgets/split_datetime.html); "django.forms" above provides the rest.
FORM_RENDERER = "cluster_portal.core.forms.PortalFormRenderer"

DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": database_from_url(DATABASE_URL)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env_str("SQLITE_PATH") or str(BASE_DIR / "db.sqlite3"),
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "cluster_portal.core.redis_cache.KeptClientRedisCache",
            "LOCATION": env_str("CACHE_URL") or REDIS_URL,
            "KEY_PREFIX": "portal",
        }
    }
else:
    # Per-process, but real: allauth's rate limits need a cache that keeps counts.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_USER_MODEL = "members.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
ACCOUNT_ADAPTER = "members.adapter.AccountAdapter"
ACCOUNT_FORMS = {"signup": "members.forms.SignupForm"}
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "pages:my_cluster"

# django-allauth
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = False
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/h/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
}
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env_str("PORTAL_NAME", "Cluster Portal")

# Internationalisation: Polish first, English second, both complete.
LANGUAGE_CODE = "pl"
LANGUAGES = [("pl", _("Polish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Warsaw"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_NAME = "portal_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SAMESITE = "Lax"

STATIC_URL = "/static/"
# Where collectstatic puts the files WhiteNoise serves (the Docker image: /app/staticfiles).
STATIC_ROOT = Path(env_str("STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT") or BASE_DIR / "media")
# Files that only some people may read (proposal documents): outside MEDIA_ROOT, so that no
# web server or Django route serves them; views hand them out after a permission check.
PRIVATE_MEDIA_ROOT = Path(env_str("PRIVATE_MEDIA_ROOT") or BASE_DIR / "private-media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Mail: console by default; SMTP when EMAIL_HOST is set (mailpit in docker-compose).
EMAIL_HOST = env_str("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 25)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
    EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Cluster Portal <noreply@cluster-portal.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
PORTAL_CONTACT_EMAIL = env_str("PORTAL_CONTACT_EMAIL", "office@cluster-portal.local")
# Mails are built in workers, outside any request: links need the site's public address.
PORTAL_BASE_URL = env_str("PORTAL_BASE_URL", "http://127.0.0.1:8000")
PORTAL_MAIL_DOMAIN = env_str("PORTAL_MAIL_DOMAIN", "cluster-portal.local")
# Public pages served to anonymous visitors from the cache (0 turns it off); any change
# behind them invalidates them at once (cluster_portal/page_cache.py).
PORTAL_ANONYMOUS_PAGE_CACHE_SECONDS = env_int("PORTAL_ANONYMOUS_PAGE_CACHE_SECONDS", 300)
# First retry of a failed delivery after this many seconds, doubling each time.
NOTIFICATION_RETRY_BASE_SECONDS = 15

# Celery: Redis as broker; without REDIS_URL tasks run in-process (make run only).
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_EXPIRES = 3600
CELERY_TIMEZONE = TIME_ZONE
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Enqueueing must fail fast when Redis is down: the outbox row keeps the message and the
# sweep enqueues it later, so a request never hangs on the broker.
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 3600,
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
}
# The schedule lives in code (reviewed, versioned, the same in every environment); one beat
# process runs it. See README, "Notifications".
CELERY_BEAT_SCHEDULE = {
    "sweep-pending-notifications": {
        "task": "notifications.sweep_pending",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    "funding-call-deadline-reminders": {
        "task": "projects.call_deadline_reminders",
        "schedule": 3600.0,
        "options": {"expires": 3000},
    },
    # Events starting in 12 to 24 hours: their confirmed attendees get one reminder each.
    "event-reminders": {
        "task": "events.send_reminders",
        "schedule": 15 * 60.0,
        "options": {"expires": 14 * 60},
    },
    # Personal data past its period (PORTAL_RETENTION_*), daily at night.
    "privacy-retention": {
        "task": "pages.retention",
        "schedule": crontab(hour=3, minute=30),
        "options": {"expires": 3600},
    },
}

# How long personal data is kept (days); the privacy page states these periods.
PORTAL_RETENTION_UNVERIFIED_DAYS = env_int("PORTAL_RETENTION_UNVERIFIED_DAYS", 30)
PORTAL_RETENTION_NOTIFICATION_BODY_DAYS = env_int("PORTAL_RETENTION_NOTIFICATION_BODY_DAYS", 90)
PORTAL_RETENTION_DECLINED_APPLICATION_DAYS = env_int(
    "PORTAL_RETENTION_DECLINED_APPLICATION_DAYS", 365
)
# Messages ("saved", "deleted") live in the session, so the portal sets no cookie of its own
# for them (a visitor gets only session, CSRF and language cookies).
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# Content Security Policy: everything is served from here; no inline scripts.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# Links that work as credentials, by URL name → the path arguments that are the secret.
# They are hidden in logs and in the admin's copy of every mail (cluster_portal/credentials.py).
PORTAL_CREDENTIAL_URLS = {
    "account_reset_password_from_key": ("uidb36", "key"),
    "account_confirm_email": ("key",),
    "members:invitation_accept": ("token",),
    "notifications:unsubscribe": ("token",),
    "events:cancel_link": ("token",),
    "event_check_in": ("token",),
    "pages:personal_calendar": ("token",),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "filters": {"credentials": {"()": "cluster_portal.core.credentials.RedactCredentialsFilter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["credentials"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
