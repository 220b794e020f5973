"""Daihuo Desk settings: everything that differs between machines comes from the environment.

Parsing is strict (django-environ raises on a malformed boolean or URL) and fails
closed: with debug off, a missing DJANGO_SECRET_KEY stops the start.
"""

from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()


def secret(name: str, **default):
    """A secret from NAME, or from the file named by NAME_FILE (systemd credentials, Docker
    secrets). Setting both is a mistake and stops the start; a NAME_FILE that cannot be read too."""
    path = env.str(f"{name}_FILE", default="")
    if path:
        if env.str(name, default=""):
            raise environ.ImproperlyConfigured(f"Set {name} or {name}_FILE, not both")
        try:
            return Path(path).read_text().strip()
        except OSError as exc:
            raise environ.ImproperlyConfigured(f"{name}_FILE: cannot read {path}: {exc}") from exc
    return env.str(name, **default)


DEBUG = env.bool("DJANGO_DEBUG", default=False)
if DEBUG:
    SECRET_KEY = secret("DJANGO_SECRET_KEY", default="insecure-dev-key-only-for-debug")
else:
    SECRET_KEY = secret("DJANGO_SECRET_KEY")  # required: ImproperlyConfigured when missing

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "core.admin_site.PlatformAdminConfig",  # django.contrib.admin on the platform's site (#23.5: bulk selections)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_fsm",
    "django_fsm_log",
    "django_filters",
    "django_htmx",
    "axes",  # login lockout (hardening block below)
    "crispy_forms",
    "crispy_bootstrap5",
    "core",
    "shops",
    "filings",
    "samples",
    "flashsales",
    "ops",  # health, readiness, metrics, structured logs, the ops page (issue #15)
    # --- #14 open API and webhooks (top layer: calls every domain's services) ---
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "api",
    # Benchmarks (issue #12): management commands and one minimal view, no models.
    "bench",
]

MIDDLEWARE = [
    "ops.middleware.RequestMiddleware",  # request id, one JSON log line and metrics per request
    "django.middleware.security.SecurityMiddleware",
    "core.middleware.ContentSecurityPolicyMiddleware",  # hardening block below
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.PlatformLanguageMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "core.roles.SeatMiddleware",  # T3: a member whose seat changed is signed out at its next request
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "core.middleware.FriendlyErrorPagesMiddleware",  # with DEBUG on: the Chinese error pages
    "axes.middleware.AxesMiddleware",  # last: turns a locked-out login into the lockout page
]

ROOT_URLCONF = "config.urls"

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
                "core.context_processors.workspace",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

# PostgreSQL is the only database, in every mode: DATABASE_URL (or DATABASE_URL_FILE) names
# it. `make run` and `make dev` start their own cluster under var/pg and set it; the test
# commands start a throwaway one. No silent fallback to a file that behaves differently
# (no row locks, no skip_locked, another SQL dialect).
_database_url = secret("DATABASE_URL", default="")
if not _database_url:
    raise environ.ImproperlyConfigured(
        "DATABASE_URL is not set: give the PostgreSQL database, e.g. "
        "DATABASE_URL=postgres://user@127.0.0.1:5432/daihuo (`make run` and `make dev` start their own under var/pg)"
    )
DATABASES = {"default": env.db_url_config(_database_url)}
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise environ.ImproperlyConfigured("DATABASE_URL must be a postgres:// URL: PostgreSQL is the only database Daihuo Desk runs on")
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Persistent connections (seconds; 0 = one per request, right behind a transaction-mode
# pooler such as PgBouncer), checked before reuse so a restarted database is survived.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool("DJANGO_CONN_HEALTH_CHECKS", default=True)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
# Each app keeps its own catalogue; the app folders come first so that `makemessages`
# (run from the project root by scripts/messages.sh) files each string under its app.
LOCALE_PATHS = [BASE_DIR / app / "locale" for app in ("shops", "filings", "samples", "flashsales", "ops", "api")] + [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Media (public product pictures): the local folder, or an S3-compatible bucket in a fleet
# (DJANGO_MEDIA_STORAGE=s3; needs boto3, see docs/deploy.md).
MEDIA_STORAGE = env.str("DJANGO_MEDIA_STORAGE", default="local")
if MEDIA_STORAGE not in ("local", "s3"):
    raise environ.ImproperlyConfigured("DJANGO_MEDIA_STORAGE must be 'local' or 's3'")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    if MEDIA_STORAGE == "local"
    else {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("DJANGO_S3_BUCKET"),
            "endpoint_url": env.str("DJANGO_S3_ENDPOINT_URL", default=None),
            "region_name": env.str("DJANGO_S3_REGION", default=None),
            # Unset: boto3 finds credentials itself (instance role, ~/.aws).
            "access_key": secret("DJANGO_S3_ACCESS_KEY_ID", default=None),
            "secret_key": secret("DJANGO_S3_SECRET_ACCESS_KEY", default=None),
            "custom_domain": env.str("DJANGO_S3_CUSTOM_DOMAIN", default=None),
            "querystring_auth": False,  # product pictures are public
            "file_overwrite": False,
        },
    },
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "media/"
# Qualification documents (filings) are private: stored outside MEDIA_ROOT and served only
# through views that check who is asking.
FILINGS_PRIVATE_ROOT = env.path("DJANGO_PRIVATE_ROOT", default=BASE_DIR / "var" / "private")
# Uploads larger than this are refused by the forms (images and qualification documents).
MAX_UPLOAD_BYTES = env.int("DJANGO_MAX_UPLOAD_BYTES", default=5 * 1024 * 1024)
FILE_UPLOAD_PERMISSIONS = 0o640

# --- #14 webhooks out: receivers must be public https:// addresses; the test suite adds
# http://127.0.0.1 (a local receiver). An attempt waits this long for an answer.
WEBHOOKS_ALLOW_HTTP_HOSTS: tuple[str, ...] = ()
WEBHOOKS_TIMEOUT_SECONDS = 10

EMAIL_BACKEND = env.str("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
# Production mail: DJANGO_EMAIL_URL=smtp+tls://user:password@host:587 (or _FILE) sets the SMTP
# backend and its host, port, user, password and TLS in one value.
if _email_url := secret("DJANGO_EMAIL_URL", default=""):
    globals().update(env.email_url_config(_email_url))
DEFAULT_FROM_EMAIL = env.str("DJANGO_DEFAULT_FROM_EMAIL", default="noreply@daihuo-desk.local")
# Folder of django.core.mail.backends.filebased.EmailBackend (the soak counts e-mails there).
EMAIL_FILE_PATH = env.path("DJANGO_EMAIL_FILE_PATH", default=BASE_DIR / "var" / "mail")

# Redis: one server holds the Celery broker (database 0) and the cache (database 1).
# REDIS_URL names it once (`make run` sets it to the port it chose), so the broker and the
# cache cannot point at two different servers; CELERY_BROKER_URL and DJANGO_CACHE_URL
# still override each on its own (a fleet with two Redis).
REDIS_URL = secret("REDIS_URL", default="redis://127.0.0.1:6379/0")


def _redis_db(url: str, db: int) -> str:
    from urllib.parse import urlsplit, urlunsplit

    return urlunsplit(urlsplit(url)._replace(path=f"/{db}"))


# Celery: the broker is Redis; the one beat schedule lives in config/celery.py.
CELERY_BROKER_URL = secret("CELERY_BROKER_URL", default=_redis_db(REDIS_URL, 0))
CELERY_RESULT_BACKEND = None  # no task result is read back: nothing to store (nor a port to follow)
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# #23: no web request talks to the broker (tasks leave through core.outbox; /readyz has its own
# bounded check). The relay, beat and the workers do, and a frozen Redis (a stalled host, a
# partition: it neither refuses nor answers) must not hold them: every socket read and write
# gives up after a few seconds (longer than the worker's 1 s BRPOP poll), and a publish is
# not retried (the outbox row simply waits for the next relay run).
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 5, "socket_keepalive": True}
# A worker whose broker goes away keeps retrying for ever (never exits on a Redis restart).
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
# Django's LOGGING (JSON lines) applies in the worker too.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# The cache holds counters every web process must share (core.throttle: joins of a live room
# per address, V8): Redis, a database of its own beside the broker's. A per-process cache
# would let each gunicorn worker count its own joins.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": secret("DJANGO_CACHE_URL", default=_redis_db(REDIS_URL, 1)),
        # #23: a healthy Redis on the local network answers in a millisecond; one that is frozen
        # must cost a request little. The one user, core.throttle, fails open and then leaves
        # the cache alone for a while (its own circuit breaker), so a frozen Redis costs one
        # request half a second, not every request.
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
}

# Hardening that `check --deploy` asks for when debug is off.
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    # Off only for plain HTTP on loopback (`make run`); never behind a real proxy.
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=True)
    SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # Probes and scrapers may call a process directly over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]

# One JSON object a line (request, task, transition, everything else) with the request id
# that follows the work; DJANGO_LOG_FORMAT=text for people reading a terminal.
LOG_FORMAT = env.str("DJANGO_LOG_FORMAT", default="json")
if LOG_FORMAT not in ("json", "text"):
    raise environ.ImproperlyConfigured("DJANGO_LOG_FORMAT must be 'json' or 'text'")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"context": {"()": "ops.logging.ContextFilter"}},
    "formatters": {
        "json": {"()": "ops.logging.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["context"], "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
}

# Operations (ops/): /metrics is for staff or a scraper sending `Authorization: Bearer <token>`.
METRICS_TOKEN = secret("METRICS_TOKEN", default="")

# --- #14 open API (/api/v1/) and webhooks --------------------------------------------
# Keys only (no session): a browser's cookie never authorises an API call, so no CSRF.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.auth.ApiKeyAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.HasScope"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.KeyRateThrottle"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser", "rest_framework.parsers.MultiPartParser"],
    "EXCEPTION_HANDLER": "api.problems.exception_handler",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Daihuo Desk API",
    "DESCRIPTION": "The open API of 带货合规台: samples, filings, flash sales, alliance and the order feed.",
    "VERSION": "1.0.0",
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "api.schema.problem_responses"],
    "ENUM_NAME_OVERRIDES": {"WebhookEventEnum": "api.webhooks.models.Event"},
}

# ---------------------------------------------------------------------------------------
# Hardening (issue #11): login lockout.
# After AXES_FAILURE_LIMIT wrong passwords for one username from one address, that pair is
# locked for the cool-off; a reviewer unlocks it in Admin → Axes → Access attempts (delete
# the row). The lockout page is templates/registration/locked_out.html, in Chinese.
from datetime import timedelta  # noqa: E402

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out pair before checking
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("DJANGO_LOGIN_FAILURE_LIMIT", default=5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = timedelta(minutes=env.int("DJANGO_LOGIN_COOLOFF_MINUTES", default=15))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
LOGGING.setdefault("loggers", {})["axes"] = {"level": "WARNING"}  # not every successful login

# Hardening (issue #11): request bodies. A multipart body past MAX_REQUEST_BYTES is refused
# before it is read, one file past MAX_UPLOAD_BYTES while it streams (core.middleware.
# LimitedUploadHandler, first of the handlers): the 413 page, nothing on disk. The non-file
# fields may hold a captured picture as a data URL, so they get the upload limit plus a third.
MAX_REQUEST_BYTES = env.int("DJANGO_MAX_REQUEST_BYTES", default=25 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_UPLOAD_BYTES * 4 // 3 + 256 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_HANDLERS = [
    "core.middleware.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# The Content-Security-Policy is core.middleware.CONTENT_SECURITY_POLICY (no inline script).
# Forms: one style everywhere, rendered by django-crispy-forms with the Bootstrap 5 pack
# (core/templatetags/daihuo_forms.py adds the upload-size and checkbox hints).
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
