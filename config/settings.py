"""Settings for Förderportal, read from the environment.

Development defaults are safe to run on a laptop; production is switched on with
``DJANGO_ENV=production``, which makes a missing secret or host list a hard error.
"""

import datetime as dt
import ipaddress
import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.contrib.messages import constants as message_constants
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None:
        raise ImproperlyConfigured(f"Environment variable {name} is required")
    return value


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from exc


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


PRODUCTION = env_str("DJANGO_ENV", "development") == "production"

DEBUG = env_bool("DEBUG", not PRODUCTION)
if PRODUCTION:
    SECRET_KEY = env_str("SECRET_KEY")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("ALLOWED_HOSTS is required in production")
else:
    SECRET_KEY = env_str("SECRET_KEY", "dev-insecure-key-only-for-local-development-0123456789")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")

CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # The form renderer finds Django's widget templates through this app.
    "django.forms",
    "core",
    "applicants",
    "grants",
    "reporting",
    "django_tasks",
    "django_tasks_db",
    "notifications",
    "operations",
    "privacy",
    # Security (issue 11): second factor for staff, login throttling, Content-Security-Policy.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "axes",
    "csp",
    # Who changed bank details, budgets, programme rules, calls, staff roles and letter
    # templates, what and when (docs/architecture.md).
    "simple_history",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Records who made a change in the history tables (bank details, budgets, rules, …).
    "simple_history.middleware.HistoryRequestMiddleware",
    "grants.permissions.StaffRolesMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Security (issue 11): staff pass the second factor before any page, staff sessions expire,
    # every response carries CSP, Permissions-Policy and (where personal) Cache-Control.
    "applicants.second_factor.SecondFactorMiddleware",
    "csp.middleware.CSPMiddleware",
    "config.security.SecurityHeadersMiddleware",
    # Last, as django-axes asks: it turns a lock-out signalled during login into the response.
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
                "config.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers wait for each other instead of failing at once with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"

# --- Operations: cache and sessions ---------------------------------------------------------
# One shared cache for every process (rate limits, login throttling, sessions) when REDIS_URL is
# set, as in production; without it each process counts on its own, which is fine on a laptop
# and in tests. Sessions are written to the database as well (cached_db), so a Redis restart
# logs nobody out.
REDIS_URL = env_str("REDIS_URL", "")
if PRODUCTION and not REDIS_URL:
    raise ImproperlyConfigured("REDIS_URL is required in production (shared cache and rate limits)")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "foerderportal"),
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "applicants.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "de"
LANGUAGES = [("de", "Deutsch"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
FORMAT_MODULE_PATH = ["config.formats"]
# Every form renders its fields in KERN UX markup (core/templates/kern/field.html).
FORM_RENDERER = "core.forms.KernFormRenderer"

# Public contact for barriers on the site, named in the accessibility statement (BITV 2.0 § 7).
ACCESSIBILITY_CONTACT_EMAIL = env_str("ACCESSIBILITY_CONTACT_EMAIL", "barrierefreiheit@example.org")

# Message levels map onto the KERN alert variants (kern-alert--info/success/warning/danger).
MESSAGE_TAGS = {
    message_constants.DEBUG: "info",
    message_constants.ERROR: "danger",
}

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]

# Attachments are personal data of applicants: they live outside the web root and are only
# served through views that check access.
PRIVATE_MEDIA_ROOT = Path(env_str("PRIVATE_MEDIA_ROOT", str(BASE_DIR / "private-media")))
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Several servers share one object store: with S3_BUCKET set, private files (attachments,
# letters, exports, reports) go to S3-compatible storage (django-storages; AWS, MinIO, Ceph,
# the city's own), never public (no ACL, signed URLs only, files never overwritten).
S3_BUCKET = env_str("S3_BUCKET", "")
if S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": env_str("S3_ENDPOINT_URL", "") or None,
            "region_name": env_str("S3_REGION", "") or None,
            "access_key": env_str("S3_ACCESS_KEY_ID", ""),
            "secret_key": env_str("S3_SECRET_ACCESS_KEY", ""),
            "location": env_str("S3_PREFIX", ""),
            "addressing_style": env_str("S3_ADDRESSING_STYLE", "path"),
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
MAX_UPLOAD_BYTES = env_int("MAX_UPLOAD_BYTES", 10 * 1024 * 1024)

# Mail: any ESP that django-anymail supports, chosen by EMAIL_BACKEND; the console in development.
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if not PRODUCTION
    else "anymail.backends.test.EmailBackend",
)
if PRODUCTION and EMAIL_BACKEND == "anymail.backends.test.EmailBackend":
    raise ImproperlyConfigured("EMAIL_BACKEND must name a real anymail backend in production")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Förderportal <foerderportal@localhost>")
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
ANYMAIL = {
    key.removeprefix("ANYMAIL_"): value
    for key, value in os.environ.items()
    if key.startswith("ANYMAIL_")
}
# Delivery webhooks of the ESP post to /anymail/<esp>/tracking/ with HTTP basic auth
# "user:password"; without it anyone could mark mails as delivered or bounced.
ANYMAIL.setdefault("WEBHOOK_SECRET", env_str("WEBHOOK_SECRET", ""))
if not ANYMAIL["WEBHOOK_SECRET"]:
    if PRODUCTION:
        raise ImproperlyConfigured("WEBHOOK_SECRET (user:password for ESP webhooks) is required")
    del ANYMAIL["WEBHOOK_SECRET"]

# Only this provider's webhook is mounted (notifications.views.mail_webhook); empty: the
# provider of EMAIL_BACKEND.
MAIL_WEBHOOK_ESP = env_str("MAIL_WEBHOOK_ESP", "")

# Background work: django-tasks with its database backend, so the queue is a table and a
# worker is just `manage.py db_worker` (see docs/operations.md).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Outbox: how often a mail is tried and how long to wait before the first retry (doubling;
# 10 attempts from 60 s span about 8½ hours, so an ESP outage delays mail but loses none).
NOTIFICATIONS_MAX_ATTEMPTS = env_int("NOTIFICATIONS_MAX_ATTEMPTS", 10)
NOTIFICATIONS_RETRY_SECONDS = env_int("NOTIFICATIONS_RETRY_SECONDS", 60)
# The daily digest for case workers goes out on the first periodic run after this hour.
NOTIFICATIONS_DIGEST_HOUR = env_int("NOTIFICATIONS_DIGEST_HOUR", 7)
# The portal's public address (scheme, host, port; no path): every link in a mail is built from
# it, never from the Host header of a request. `make run` sets it to the address it serves on.
# PORTAL_URL is its former name, still read.
PORTAL_BASE_URL = env_str(
    "PORTAL_BASE_URL", os.environ.get("PORTAL_URL") or "http://localhost:8000"
).rstrip("/")
if not re.fullmatch(r"https?://[^/\s?#]+", PORTAL_BASE_URL):
    raise ImproperlyConfigured(
        f"PORTAL_BASE_URL must be like https://foerderportal.example.org, not {PORTAL_BASE_URL!r}"
    )
PORTAL_URL = PORTAL_BASE_URL

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# --- Operations: WSGI server, static files, proxy, logs, health, jobs -------------------------
# (docs/operations.md lists every variable.)

# In production the app serves its static files itself (whitenoise) under hashed, compressed,
# long-cached names, collected by `manage.py collectstatic` when the image is built. On a
# laptop runserver serves them from the source folders.
if PRODUCTION:
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
        "whitenoise.middleware.WhiteNoiseMiddleware",
    )
    STORAGES["staticfiles"] = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}

# The TLS-terminating reverse proxy: its X-Forwarded-* headers are believed only when the
# connection comes from one of these addresses or networks; from anyone else they are dropped.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")
try:
    TRUSTED_PROXY_NETWORKS = [ipaddress.ip_network(p, strict=False) for p in TRUSTED_PROXIES]
except ValueError as exc:
    raise ImproperlyConfigured(f"TRUSTED_PROXIES: {exc}") from exc
if PRODUCTION and not TRUSTED_PROXIES:
    # gunicorn speaks plain HTTP: without the proxy's word for HTTPS every request would be
    # redirected to HTTPS again, for ever.
    raise ImproperlyConfigured(
        "TRUSTED_PROXIES is required in production: the address of the TLS-terminating proxy"
    )
if TRUSTED_PROXIES:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # Only when the proxy rewrites the Host header (some load balancers do).
    USE_X_FORWARDED_HOST = env_bool("USE_X_FORWARDED_HOST", False)
# A probe of /health/ must not hang when the database host is unreachable.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)

# The health check must answer first (no session, host check or redirect for probes), the proxy
# headers must be cleaned before anything reads them, and the request log sees everything else.
MIDDLEWARE[:0] = [
    "operations.middleware.TrustedProxyMiddleware",
    "operations.health.HealthCheckMiddleware",
    "operations.middleware.RequestLogMiddleware",
]

# /health/ fails when the worker or the scheduler has not been heard of for this long, when an
# unsent mail is older than this, or when the private files' disk is nearly full.
HEALTH_WORKER_MAX_AGE_MINUTES = env_int("HEALTH_WORKER_MAX_AGE_MINUTES", 10)
HEALTH_SCHEDULER_MAX_AGE_MINUTES = env_int("HEALTH_SCHEDULER_MAX_AGE_MINUTES", 10)
HEALTH_MAIL_MAX_AGE_MINUTES = env_int("HEALTH_MAIL_MAX_AGE_MINUTES", 60)
HEALTH_MIN_FREE_MB = env_int("HEALTH_MIN_FREE_MB", 1024)
# run_scheduler: seconds between ticks, minutes between runs of the reminders/outbox job.
SCHEDULE_TICK_SECONDS = env_int("SCHEDULE_TICK_SECONDS", 60)
SCHEDULE_PERIODIC_MINUTES = env_int("SCHEDULE_PERIODIC_MINUTES", 5)

# Logs go to standard output, one JSON object per line in production (LOG_FORMAT=json), with
# request id and user id; the container platform collects them.
LOG_FORMAT = env_str("LOG_FORMAT", "json" if PRODUCTION else "text")
if LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured(f"LOG_FORMAT must be json or text, got {LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"context": {"()": "operations.logs.RequestContextFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["context"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # WeasyPrint logs every layout step of every PDF at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # The request log middleware writes one line per request; runserver's would double it.
        "django.server": {"level": "WARNING"},
        # django-axes logs every successful login and logout at INFO; lock-outs come at WARNING.
        "axes": {"level": "WARNING"},
    },
}

# Error reporting to Sentry (or a compatible service such as GlitchTip) only when a DSN is set;
# no personal data is sent (send_default_pii=False: no user names, e-mails, cookies or IPs).
SENTRY_DSN = env_str("SENTRY_DSN", "")
if SENTRY_DSN:
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        integrations=[DjangoIntegration()],
        environment=env_str("SENTRY_ENVIRONMENT", "production" if PRODUCTION else "development"),
        traces_sample_rate=float(env_str("SENTRY_TRACES_SAMPLE_RATE", "0")),
        send_default_pii=False,
    )

# --- Data protection: retention periods (docs/privacy.md gives the legal basis) -------------
# Years after the application reached its final state, then the anonymisation job (run daily by
# the scheduler) removes the personal data and keeps what budget law needs.
RETENTION_REJECTED_YEARS = env_int("RETENTION_REJECTED_YEARS", 3)
RETENTION_WITHDRAWN_YEARS = env_int("RETENTION_WITHDRAWN_YEARS", 3)
RETENTION_CLOSED_YEARS = env_int("RETENTION_CLOSED_YEARS", 10)
# Drafts never submitted, counted from their creation.
RETENTION_DRAFT_YEARS = env_int("RETENTION_DRAFT_YEARS", 1)
# Applicant accounts without an application, counted from the last login.
RETENTION_INACTIVE_ACCOUNT_YEARS = env_int("RETENTION_INACTIVE_ACCOUNT_YEARS", 2)
# Text of sent mails (who, what kind and when stay with the case).
RETENTION_MAIL_DAYS = env_int("RETENTION_MAIL_DAYS", 180)

# manage.py backup writes its archives here unless given --output.
BACKUP_DIR = Path(env_str("BACKUP_DIR", str(BASE_DIR / "backups")))

# One process in development and tests: its own memory is the whole truth there, which is
# what django-axes warns about for a multi-process server (production requires REDIS_URL).
SILENCED_SYSTEM_CHECKS = [] if REDIS_URL else ["axes.W001"]

# --- Security (issue 11; see docs/security.md) ----------------------------------------------
# The client's address: operations.middleware.TrustedProxyMiddleware has put it into
# REMOTE_ADDR (from X-Forwarded-For, only when the connection comes from TRUSTED_PROXIES).
# Failed logins are counted (django-axes, in the shared cache) per normalised address and per
# client address; after AXES_FAILURE_LIMIT failures both wait AXES_COOLOFF_TIME, then try again.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler"
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 10)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_USERNAME_CALLABLE = "config.security.login_username"
AXES_CLIENT_IP_CALLABLE = "config.security.client_ip"
AXES_LOCKOUT_CALLABLE = "applicants.views.login_locked_out"
AXES_VERBOSE = False

# Second factor (django-otp): TOTP apps and one-time recovery codes; the issuer names the
# entry in the authenticator app.
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "Förderportal")
# An admin must not read a colleague's TOTP secret or QR code: that would clone the factor.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
RECOVERY_CODE_COUNT = 10
# Passkeys (django-otp-webauthn) as a further second factor for staff, after the password only:
# never a login without password, which would also pass by the login throttling. A passkey is
# bound to the host of the public address (the relying party id), and the browser's origin
# must be that address; a different domain later makes every registered passkey useless
# (docs/security.md). `make run` serves on localhost, as browsers refuse IP addresses here.
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
OTP_WEBAUTHN_RP_ID = urlsplit(PORTAL_BASE_URL).hostname
OTP_WEBAUTHN_RP_NAME = OTP_TOTP_ISSUER
OTP_WEBAUTHN_ALLOWED_ORIGINS = [PORTAL_BASE_URL]
OTP_WEBAUTHN_HELPER_CLASS = "applicants.passkeys.PasskeyHelper"

# Sessions: applicants end with the browser unless they ask to stay logged in (14 days);
# staff sessions end after 30 minutes idle and 10 hours at most (SecondFactorMiddleware).
SESSION_COOKIE_AGE = 14 * 24 * 3600
STAFF_SESSION_IDLE_SECONDS = env_int("STAFF_SESSION_IDLE_SECONDS", 30 * 60)
STAFF_SESSION_MAX_SECONDS = env_int("STAFF_SESSION_MAX_SECONDS", 10 * 3600)

# Content-Security-Policy (django-csp): scripts and styles only from our own origin, no inline
# script; the QR code of the enrolment is an inline SVG and needs no img source.
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
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=()"
)
