"""Settings read from the environment, with embedded defaults so the app runs with nothing else installed.

No DATABASE_URL means a SQLite file; no CELERY_BROKER_URL means tasks run in-process; email goes to
the console. Every variable is listed in README.md and .env.example.
"""

import os
from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
env_file = BASE_DIR / ".env"
if env_file.exists():
    environ.Env.read_env(str(env_file))

DEBUG = env.bool("DEBUG", default=True)

if DEBUG:
    SECRET_KEY = env("SECRET_KEY", default="insecure-development-key-change-me-0123456789abcdefghijklmnopqrstuv")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])
else:
    # With DEBUG off a real key and real hosts are required: a missing one is an error, not a default.
    try:
        SECRET_KEY = env("SECRET_KEY")
        ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
    except ImproperlyConfigured as exc:
        raise ImproperlyConfigured(f"With DEBUG off, {exc}") from exc
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("With DEBUG off, set ALLOWED_HOSTS.")

# The product, lowest layer first:
# foundation <- core_groups <- procurement <- growth_bids / partnerships <- commissioning.
# foundation.extensions looks in these apps (and only these) for navigation, dashboard panels and page hooks.
PRODUCT_APPS = [
    "core_groups",
    "procurement",
    "partnerships",
    "growth_bids",
    "review",
    "commissioning",
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_celery_beat",
    "simple_history",
    "axes",
    "csp",
    # The bottom layer: infrastructure every app shares and no app owns.
    "foundation",
    *PRODUCT_APPS,
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core_groups.middleware.PartnershipMiddleware",
    # After the partnership: the database sees only the signed-in person's partnerships (PostgreSQL RLS).
    "core_groups.middleware.PartnershipDatabaseMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After messages, so that the sign-out can say why.
    "foundation.sessions.IdleTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Axes goes last so that it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "commissioning.urls"
WSGI_APPLICATION = "commissioning.wsgi.application"
ASGI_APPLICATION = "commissioning.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "commissioning.context_processors.navigation",
                "foundation.context_processors.notifications_bell",
            ],
            # {% url %} remembers the addresses it made (foundation/templatetags/urls_memo.py, issue 17).
            "builtins": ["foundation.templatetags.urls_memo"],
        },
    },
]

# Database: a SQLite file unless DATABASE_URL names another (postgres://user@host:5432/name).
# An empty DATABASE_URL counts as unset, so `DATABASE_URL= make run` means SQLite.
DATABASES = {
    "default": env.db_url_config(env.str("DATABASE_URL", default="") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
_on_postgres = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
# Persistent connections with a health check: opening a PostgreSQL connection per request cost 33-43% of
# throughput in the bench (issue 17). SQLite opens a file, which costs nothing to repeat.
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60 if _on_postgres else 0))
DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", env.bool("CONN_HEALTH_CHECKS", default=True))
if _on_postgres:
    DATABASES["default"].setdefault("TEST", {})
    DATABASES["default"]["TEST"].setdefault("NAME", env("TEST_DATABASE_NAME", default=None))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core_groups.User"

AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses a locked-out username and address before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Front-end packages come from the npm registry (package.json), never copied into the repository.
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env(
            "STATICFILES_BACKEND",
            default="django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "media")))
# Uploaded documents are never larger than this (bytes); the forms say so beside the field.
MAX_UPLOAD_SIZE = env.int("MAX_UPLOAD_SIZE", default=10 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=5 * 1024 * 1024)
# A spreadsheet that is imported (not just stored) is checked before it is parsed (issue 19): one that
# declares more rows or columns, or expands to more bytes when unzipped, is refused naming the limit.
SPREADSHEET_MAX_ROWS = env.int("SPREADSHEET_MAX_ROWS", default=50_000)
SPREADSHEET_MAX_COLUMNS = env.int("SPREADSHEET_MAX_COLUMNS", default=256)
SPREADSHEET_MAX_EXPANDED_SIZE = env.int("SPREADSHEET_MAX_EXPANDED_SIZE", default=50 * 1024 * 1024)

# Selects are written in Python, not a template per option (foundation/form_rendering.py, issue 17).
FORM_RENDERER = "foundation.form_rendering.FormRenderer"
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Email: the console unless EMAIL_URL names a server (smtp://user:password@host:587/?tls=True).
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Commissioning <no-reply@commissioning.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Seconds the mail server may take to answer before a send counts as failed (and is retried by the outbox).
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
# Every absolute link (emails, password reset) is built from this, never from the request's Host header.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

# Celery: in-process unless CELERY_BROKER_URL names a broker (redis://localhost:6379/0).
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")

# One cache for the product (dashboard summaries): Redis when REDIS_URL is set, or the broker is Redis, so that
# every gunicorn worker shares it and an invalidation reaches all of them; the local-memory default otherwise.
REDIS_URL = env("REDIS_URL", default="") or (CELERY_BROKER_URL if CELERY_BROKER_URL.startswith("redis") else "")
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            # Parallel test workers (pytest-xdist sets PYTEST_XDIST_WORKER) share one Redis: each keeps its own keys.
            "KEY_PREFIX": "commissioning" + os.environ.get("PYTEST_XDIST_WORKER", ""),
            "TIMEOUT": 600,
        }
        if REDIS_URL
        # Local memory culls a third of its entries once it holds MAX_ENTRIES (300 by default): sessions
        # (cached_db), version tokens and kept pages would push each other out, so it holds more.
        else {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "commissioning",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    )
}
# The key pages are kept until the next write to the database (foundation/page_cache.py). On by default only where
# the cache is shared (Redis): with each process's own local-memory cache, a write in one gunicorn worker would not
# forget another worker's pages. PAGE_CACHE=1 turns it on for a single process (runserver) without Redis.
PAGE_CACHE = env.bool("PAGE_CACHE", default=bool(REDIS_URL))
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE
CELERY_ENABLE_UTC = True
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=300)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=360)
CELERY_TASK_ACKS_LATE = True
# A task is acknowledged when it ends, so a killed worker's task is delivered again once the broker's
# visibility timeout lapses. It must exceed the time limit, or a task still running would be delivered
# to a second worker; it is the time limit plus a minute unless set.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("BROKER_VISIBILITY_TIMEOUT", default=CELERY_TASK_TIME_LIMIT + 60),
}
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", default="commissioning")
# Report renders (PDF board packs: minutes and hundreds of MB) are dispatched by the workers of their own queue, so
# that emails never wait behind them (foundation/outbox.py, handler(queue=RENDER)); `make worker` listens on both,
# docker-compose runs a worker for each. Empty: renders go with everything else.
CELERY_RENDER_QUEUE = env("CELERY_RENDER_QUEUE", default="render")
# A worker child whose resident memory grew past this (KiB) is replaced once its task ends: a 500-bid pack left a
# child at 1.2 GB, kept until the worker restarted (issue 17). Prefork pool only.
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env.int("CELERY_WORKER_MAX_MEMORY_PER_CHILD", default=500_000)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

# The outbox (foundation/outbox.py): emails and renders are rows written with the change that needs them.
# A claim on a row lasts the task time limit (a worker that dies gives the row back when it lapses);
# a failed send is retried after 1, 2, 4 ... minutes (at most an hour apart), and after the last
# attempt the message is "failed" in admin (Foundation -> Outbox messages), where "Retry now" sends it again.
OUTBOX_LEASE_SECONDS = env.int("OUTBOX_LEASE_SECONDS", default=CELERY_TASK_TIME_LIMIT)
# A Body's pack of more bids than this is rendered a part at a time and joined: bounded memory, progress shown.
# 50: a part's process peaks near 290 MB (the worker's 150 MB shared with it), two at a time under 500 MB together.
REPORT_PART_BIDS = env.int("REPORT_PART_BIDS", default=50)
# ... by this many forked processes at a time, each ending with its part (its memory given back); 0: one after the
# other in the worker itself.
REPORT_RENDER_PROCESSES = env.int("REPORT_RENDER_PROCESSES", default=2)
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=12)
OUTBOX_RETRY_BASE_SECONDS = env.float("OUTBOX_RETRY_BASE_SECONDS", default=60)
OUTBOX_RETRY_MAX_SECONDS = env.float("OUTBOX_RETRY_MAX_SECONDS", default=3600)
# A nudge after commit waits at most this long for the broker; then the message waits for beat's dispatcher.
OUTBOX_NUDGE_TIMEOUT_SECONDS = env.float("OUTBOX_NUDGE_TIMEOUT_SECONDS", default=2)
# Spreadsheet imports larger than this (bytes) run as a background job with a progress page (foundation/imports.py).
IMPORT_BACKGROUND_BYTES = env.int("IMPORT_BACKGROUND_BYTES", default=100_000)

# Login throttling: failures are counted per username *and* address together, so nobody can
# lock a colleague out from another machine.
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]

# Security headers. Production values apply whenever DEBUG is off.
SESSION_COOKIE_HTTPONLY = True
# Sessions are read from the cache (Redis in production, shared by every worker) and written through to the
# database: one query less on every signed-in page (issue 17). Signing out deletes both.
SESSION_ENGINE = env("SESSION_ENGINE", default="django.contrib.sessions.backends.cached_db")
# Signed out after SESSION_IDLE_TIMEOUT_MINUTES without a request (30 by default), and whatever happens after
# SESSION_COOKIE_HOURS (12 at most: a working day).
SESSION_IDLE_TIMEOUT = 60 * env.int("SESSION_IDLE_TIMEOUT_MINUTES", default=30)
SESSION_COOKIE_AGE = 60 * 60 * min(env.int("SESSION_COOKIE_HOURS", default=12), 12)
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
if env.bool("BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# No inline script anywhere: every script is a file served from 'self'.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Services a test needs (PostgreSQL, Redis, Chromium): skipped when absent, unless this is set (CI).
REQUIRE_SERVICES = env.bool("REQUIRE_SERVICES", default=False)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}, "axes": {"level": "WARNING"}},
}
