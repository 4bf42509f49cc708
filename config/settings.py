"""Settings for the ICT Office Portal.

One module for every environment: what differs between a laptop demo, CI and production is
read from environment variables (see README "Configuration"). With nothing set, the portal
runs on the embedded default: SQLite and a file-system Celery broker, no servers needed.
"""

import datetime
import os
import sys
from pathlib import Path
from typing import Any

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# GENERAL
# ------------------------------------------------------------------------------
# The demo (./run.sh) is often shown on a projector or a shared network: it never runs with
# DEBUG, whose error page lists settings and the environment (DATABASE_URL and all).
DEMO_MODE = env.bool("PORTAL_DEMO", default=False)
DEBUG = env.bool("DJANGO_DEBUG", default=False) and not DEMO_MODE
# A usable fallback key would let anyone forge sessions and password-reset links, so there is
# one only for the demo, the tests, a developer's DEBUG run and the commands that only read the
# code (they sign, seal and serve nothing); anything else refuses to start in production.
_LOCAL_ONLY_KEY = "django-insecure-local-only-9f3b6d0c1e2a4b5c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a"
_testing = os.environ.get("DJANGO_SETTINGS_MODULE") == "config.test_settings"
_CODE_ONLY_COMMANDS = {"makemigrations", "check", "makemessages", "compilemessages"}
_code_only = (
    len(sys.argv) > 1
    and Path(sys.argv[0]).name == "manage.py"
    and (sys.argv[1] in _CODE_ONLY_COMMANDS)
)
_local_keys_allowed = DEMO_MODE or DEBUG or _testing or _code_only


def _required_key(name: str, how: str) -> str:
    value = env.str(name, default="")
    if not value and not _local_keys_allowed:
        raise ImproperlyConfigured(f"{name} is not set. {how}")
    return value


SECRET_KEY = (
    _required_key(
        "DJANGO_SECRET_KEY",
        "Set it to a long random value (for example the output of: "
        "python -c 'import secrets; print(secrets.token_urlsafe(50))').",
    )
    or _LOCAL_ONLY_KEY
)
# The key that seals personal data at rest (students' national IDs: core.fieldcrypt). Separate
# from SECRET_KEY so rotating sessions does not lose data; lose this key and the sealed values
# are gone. The demo and the tests derive one from SECRET_KEY; production refuses to start.
PORTAL_FIELD_KEY = (
    _required_key(
        "PORTAL_FIELD_KEY",
        "Set it to a long random value kept apart from the database backups (for example the "
        "output of: python -c 'import secrets; print(secrets.token_urlsafe(48))'). Losing it "
        "loses the encrypted national IDs.",
    )
    or "derived-for-demo-and-tests:" + SECRET_KEY
)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

# INTERNATIONALISATION: Thai first, English on request
# ------------------------------------------------------------------------------
LANGUAGE_CODE = "th"
LANGUAGES = [("th", _("Thai")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Bangkok"
USE_I18N = True
USE_TZ = True

# DATABASES
# ------------------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web, worker and beat share one SQLite file in the embedded default: WAL lets readers
    # and one writer proceed together, and IMMEDIATE transactions avoid "database is locked"
    # upgrades from read to write locks.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# APPS
# ------------------------------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "import_export",
    "django_celery_beat",
    "config.vendor_apps.AxesConfig",  # the library's app with a Thai name in the admin
    "django_otp",
    "config.vendor_apps.TotpConfig",
    "core",
    "accounts",
    "processes",
    "workplans",
    "repairs",
    "equipment_loans",
    "dmc_emis",
    "line_messaging",
    "trainings",
    "log_register",
    "minutes",
    "school_map",
    "documents",
    "reports",
    "portal",
]

# Pages and text downloads go out gzip-compressed (core.compression). Turn it off where the
# proxy in front of the portal compresses them already.
COMPRESS_PAGES = env.bool("PORTAL_COMPRESS_PAGES", default=True)

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Runs last on the way out, after every middleware below has written the body.
    *(["core.compression.TextCompressionMiddleware"] if COMPRESS_PAGES else []),
    "accounts.middleware.RequestBodyLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "accounts.middleware.ThaiFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "accounts.middleware.NulCharacterMiddleware",
    # Django's, with the signed-in user's roles read once per request.
    "accounts.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.idempotency.OneTimeFormTokenMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "accounts.middleware.SecurityHeadersMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "portal.context_processors.navigation",
            ],
            "builtins": ["core.templatetags.thai"],
        },
    },
]

# AUTHENTICATION
# ------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# STATIC AND MEDIA
# ------------------------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
# Uploads live outside the web root and are served only through access-checked views.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
MEDIA_URL = "/media/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Uploads and generated files go through the storage API only: on this node's disk under
# MEDIA_ROOT, or, with PORTAL_S3_BUCKET set, in an S3-compatible store (AWS S3, MinIO, ...)
# that every web node and worker shares. The bucket stays private: files reach people only
# through the portal's access-checked views, never by a bucket address.
PORTAL_S3_BUCKET = env.str("PORTAL_S3_BUCKET", default="")
_default_storage: dict[str, Any]
if PORTAL_S3_BUCKET:
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": PORTAL_S3_BUCKET,
            "location": env.str("PORTAL_S3_PREFIX", default=""),
            # Empty: Amazon's own endpoint, and boto3's usual credential chain (an IAM role).
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
            "access_key": env.str("AWS_ACCESS_KEY_ID", default="") or None,
            "secret_key": env.str("AWS_SECRET_ACCESS_KEY", default="") or None,
            "addressing_style": env.str("AWS_S3_ADDRESSING_STYLE", default="") or None,
            # Two schools' "photo.jpg" in the same month must not overwrite each other: names
            # get a suffix as on disk (the library's default would replace the first file).
            "file_overwrite": False,
            # A file read back (a DMC import of 200 MB, a file being served) spills to a
            # temporary file past this size instead of living in the worker's memory.
            "max_memory_size": FILE_UPLOAD_MAX_MEMORY_SIZE,
            # The admin's "currently:" links are the only bucket addresses shown: signed, brief.
            "querystring_auth": True,
            "querystring_expire": 300,
        },
    }
else:
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env.bool("STATIC_MANIFEST", default=not (DEBUG or DEMO_MODE))
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Bounded uploads: a whole request body (files included) above this is refused with a Thai
# page before it is read (accounts.middleware.RequestBodyLimitMiddleware); form fields alone
# are bounded by Django's DATA_UPLOAD_MAX_MEMORY_SIZE. The reverse proxy should say the same
# (nginx client_max_body_size). The largest legitimate upload is a DMC export (at most 200 MB,
# dmc_emis.services.IMPORT_MAX_BYTES; a million students are ~90 MB of CSV).
MAX_REQUEST_BODY_BYTES = env.int("MAX_REQUEST_BODY_BYTES", default=210 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=5 * 1024 * 1024)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000
# The admin's two-step imports (preview, then confirm) keep the file between the steps in the
# storage above rather than in this node's /tmp, so the confirmation may land on another node.
IMPORT_EXPORT_TMP_STORAGE_CLASS = "import_export.tmp_storages.MediaStorage"
# Without DEBUG (the demo) whitenoise serves the source static files itself, no collectstatic.
WHITENOISE_USE_FINDERS = DEBUG or DEMO_MODE
WHITENOISE_AUTOREFRESH = DEBUG or DEMO_MODE

# CACHE, CELERY AND REDIS
# ------------------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            # A dead Redis costs a page a moment, not a hang (sessions then fall back to the
            # database: core.sessions).
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 5},
        }
    }
    # Sessions read from Redis, written to both: every node sees a sign-in, and a Redis
    # restart signs nobody out (the database keeps the session).
    SESSION_ENGINE = "core.sessions"
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        # A dead Redis must cost a page a moment, not a hang: fail fast and let the outbox wait.
        "socket_connect_timeout": 2,
        "socket_timeout": 5,
        # A message taken by a worker that died unacknowledged goes back to the queue after this.
        "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
    }
    CELERY_TASK_PUBLISH_RETRY_POLICY = {
        "max_retries": 2,
        "interval_start": 0,
        "interval_step": 0.2,
        "interval_max": 0.5,
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # A broker that needs no server: kombu's file-system transport, so the embedded default
    # still runs a real worker and beat (queued work survives a restart of either).
    CELERY_BROKER_URL = "filesystem://localhost//"
    _broker_dir = VAR_DIR / "celery-broker"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True  # tasks record their own outcome on domain rows
CELERY_TASK_TIME_LIMIT = 15 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 10 * 60
CELERY_TASK_ACKS_LATE = True  # a worker killed mid-task leaves the message for a retry
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True

# E-MAIL
# ------------------------------------------------------------------------------
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="ict-portal@localhost")

# SECURITY
# ------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# Scripts only from this site (no inline script, no eval); inline styles stay allowed for the
# server-drawn SVG charts and progress bars. Frames are refused (with X-Frame-Options too).
CONTENT_SECURITY_POLICY = env.str(
    "CONTENT_SECURITY_POLICY",
    default="default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
)
# Sign-in throttling: django-axes at the authentication backend, so every sign-in path (the
# portal's form, the admin's, any authenticate(request=...)) is counted (accounts/throttle.py).
# Failures are counted per username+address pair (LOGIN_FAILURE_LIMIT) and per address
# (LOGIN_FAILURE_LIMIT_PER_ADDRESS, higher: a school's computers share one address); a lock
# lasts LOGIN_LOCKOUT_MINUTES. The real user signing in from another address is not locked.
# Behind a reverse proxy set USE_X_FORWARDED_FOR so the address is the client's, not the proxy's.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, reading the person with their office (accounts/backends.py).
    "accounts.backends.PortalBackend",
]
LOGIN_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
LOGIN_FAILURE_LIMIT_PER_ADDRESS = env.int("LOGIN_FAILURE_LIMIT_PER_ADDRESS", default=30)
LOGIN_LOCKOUT_MINUTES = env.int("LOGIN_LOCKOUT_MINUTES", default=15)
USE_X_FORWARDED_FOR = env.bool("USE_X_FORWARDED_FOR", default=False)
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_COOLOFF_TIME = datetime.timedelta(minutes=LOGIN_LOCKOUT_MINUTES)
AXES_HANDLER = "accounts.throttle.PortalAxesHandler"
AXES_USERNAME_CALLABLE = "accounts.throttle.username_of"
AXES_CLIENT_IP_CALLABLE = "accounts.middleware.client_address"
AXES_LOCKOUT_CALLABLE = "accounts.throttle.locked_out_response"
# A success does not wipe the address's failures: otherwise one valid account would let a
# guesser at the same address reset the count between guesses. Failures age out instead.
AXES_RESET_ON_SUCCESS = False
AXES_ENABLE_ACCESS_FAILURE_LOG = True  # every failure and lock kept for the office to read
# Second factor (TOTP, django-otp) for administrators, district directors and group heads:
# off by default; with REQUIRE_SECOND_FACTOR=true they must enrol and enter a code each sign-in.
REQUIRE_SECOND_FACTOR = env.bool("REQUIRE_SECOND_FACTOR", default=False)
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="ICT Office Portal")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if env.bool("DJANGO_SECURE", default=False):
    # Behind TLS: the reverse proxy sets X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# THIRD PARTY
# ------------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False

# LOGGING
# ------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # PDPA: no national ID reaches a log in full, whatever message or traceback carries it.
    "filters": {"mask_ids": {"()": "core.logmask.MaskIdNumbers"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["mask_ids"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# PORTAL
# ------------------------------------------------------------------------------
# DEMO_MODE (PORTAL_DEMO, set by ./run.sh; read at the top) also shows the demo logins on the
# login page.
# Official documents may print Thai digits (๑๒๓); data tables and exports keep Arabic ones.
THAI_DIGITS_IN_DOCUMENTS = env.bool("THAI_DIGITS_IN_DOCUMENTS", default=True)
# Links in e-mails point here.
PORTAL_BASE_URL = env.str("PORTAL_BASE_URL", default="http://127.0.0.1:8000")
# Map tiles of the school map, e.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png (mind the
# tile server's usage policy). Empty: no tiles are fetched and the markers stand on a blank
# map, so an office without internet still sees its schools.
SCHOOL_MAP_TILE_URL = env.str("SCHOOL_MAP_TILE_URL", default="")
SCHOOL_MAP_TILE_ATTRIBUTION = env.str(
    "SCHOOL_MAP_TILE_ATTRIBUTION", default="© OpenStreetMap contributors"
)

# LINE Messaging API: the office's LINE Official Account (docs/line-official-account.md).
# Without the secret and the token the LINE channel is off and notifications go by e-mail.
LINE_CHANNEL_SECRET = env.str("LINE_CHANNEL_SECRET", default="")
LINE_CHANNEL_ACCESS_TOKEN = env.str("LINE_CHANNEL_ACCESS_TOKEN", default="")
LINE_BASIC_ID = env.str("LINE_BASIC_ID", default="")  # e.g. @123abcde, for the add-friend link
LINE_API_HOST = env.str("LINE_API_HOST", default="https://api.line.me")
# bench/pages.py serves a bare view next to the real pages as the ceiling; never in production.
BENCH_MODE = env.bool("PORTAL_BENCH_MODE", default=False)
# The daily pass tells the next level up once a task is this many working days overdue.
ESCALATE_AFTER_WORKING_DAYS = env.int("ESCALATE_AFTER_WORKING_DAYS", default=3)
# The outbox retries a refused delivery with exponential back-off and jitter (at most this many
# minutes apart) for this many hours before marking it failed: a weekend mail outage loses
# nothing.
NOTIFICATION_RETRY_HOURS = env.int("NOTIFICATION_RETRY_HOURS", default=72)
NOTIFICATION_RETRY_MAX_MINUTES = env.int("NOTIFICATION_RETRY_MAX_MINUTES", default=120)

# Equipment loans: how far ahead and how long one may book, when borrowers are reminded, and
# after how many working days overdue the director hears of a loan.
LOAN_BOOKING_HORIZON_DAYS = env.int("LOAN_BOOKING_HORIZON_DAYS", default=365)
LOAN_MAX_DAYS = env.int("LOAN_MAX_DAYS", default=60)
LOAN_REMIND_WORKING_DAYS_BEFORE = env.int("LOAN_REMIND_WORKING_DAYS_BEFORE", default=1)
LOAN_ESCALATE_AFTER_WORKING_DAYS = env.int("LOAN_ESCALATE_AFTER_WORKING_DAYS", default=3)

# Roles allowed to build and change work processes in the designer (/processes/designer/).
PROCESS_DESIGNER_ROLES = env.list("PROCESS_DESIGNER_ROLES", default=["group_head", "admin"])
# OFFICIAL DOCUMENTS
# ------------------------------------------------------------------------------
# Passphrase of the office's PKCS#12 signing certificate (the file is an office setting).
DOCUMENT_SIGNING_PASSPHRASE = env.str("DOCUMENT_SIGNING_PASSPHRASE", default="")
# PUBLIC PAGES (no sign-in): rate limits per client address (django-ratelimit, "count/period"
# with s, m, h or d), counted on the cache below; over the limit answers 429 in Thai.
# ------------------------------------------------------------------------------
RATELIMIT_USE_CACHE = "default"
# The same client address as sign-in throttling (honours USE_X_FORWARDED_FOR).
RATELIMIT_IP_META_KEY = "accounts.middleware.client_address"
# The verification page: look-ups and uploads.
DOCUMENT_VERIFY_RATE = env.str("DOCUMENT_VERIFY_RATE", default="30/m")
# A published plan's public page, and its PDF (stored once per approved version).
PUBLIC_PLAN_PAGE_RATE = env.str("PUBLIC_PLAN_PAGE_RATE", default="60/m")
PUBLIC_PLAN_PDF_RATE = env.str("PUBLIC_PLAN_PDF_RATE", default="20/m")
# How long browsers and proxies may keep a public plan PDF before asking again (seconds); the
# ETag (the file's SHA-256) answers a repeat question with 304 Not Modified.
PUBLIC_PLAN_PDF_MAX_AGE = env.int("PUBLIC_PLAN_PDF_MAX_AGE", default=3600)
