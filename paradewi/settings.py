"""Django settings for paradewi: one module, every value read from the environment.

`.env.example` lists every variable with its default. Nothing here differs between machines
except through the environment.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from paradewi.core.crypto import decode_key, parse_keys
from paradewi.env import (
    env_bool,
    env_choice,
    env_int,
    env_int_list,
    env_list,
    env_optional_str,
    env_str,
    env_time_range,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("PARADEWI_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)

# The regency (kabupaten/kota) this deployment serves: its Kemendagri code, e.g. 35.16.
REGENCY_CODE = env_str("PARADEWI_REGENCY_CODE", "35.16")
if not re.fullmatch(r"\d{2}\.\d{2}", REGENCY_CODE):
    raise ImproperlyConfigured(
        f"PARADEWI_REGENCY_CODE={REGENCY_CODE!r} is not a kabupaten/kota code like 35.16."
    )
# Demo mode lets `load_demo` create the demo users with a published password. Never in production.
DEMO_MODE = env_bool("PARADEWI_DEMO", False)

_secret_key = env_optional_str("SECRET_KEY")
if _secret_key is None:
    if not (DEBUG or DEMO_MODE):
        raise ImproperlyConfigured(
            "SECRET_KEY must be set (it is only optional with DEBUG=true or PARADEWI_DEMO=true)."
        )
    _secret_key = "insecure-development-key-only-for-debug-and-demo"  # noqa: S105
SECRET_KEY = _secret_key

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "paradewi.core",
    "paradewi.regions",
    "paradewi.accounts",
    "paradewi.catalogue",
    "paradewi.worktime",
    "paradewi.requests",
    "paradewi.documents",
    "paradewi.notifications",
    "paradewi.surveys",
    "paradewi.complaints",
    "paradewi.reports",
    "paradewi.audit",
    "paradewi.training",
    "paradewi.pages",
    "paradewi.demo",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
]

MIDDLEWARE = [
    # Outermost: the server's time of the whole stack, when SERVER_TIMING is on.
    "paradewi.core.middleware.ServerTimingMiddleware",
    # Then: compresses the finished page (text only) after every other middleware ran.
    "paradewi.core.middleware.PageCompressionMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "paradewi.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Training mode ("Latihan") of this login: practice requests only, a banner on every page.
    "paradewi.training.middleware.TrainingModeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Before the CSRF check reads the form: an oversize upload is refused from its length.
    "paradewi.core.middleware.BodyLimitMiddleware",
    # After messages: both may log the user out or redirect with a message.
    "paradewi.accounts.middleware.SessionLimitsMiddleware",
    "paradewi.accounts.middleware.TwoFactorRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last: turns a locked-out login into the lockout page (AXES_LOCKOUT_CALLABLE).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "paradewi.urls"
WSGI_APPLICATION = "paradewi.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "paradewi" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "paradewi.regions.context_processors.deployment",
                "paradewi.accounts.context_processors.can",
            ],
        },
    },
]

# Form widgets are drawn with Django's own Jinja2 copies of its widget templates (the same
# HTML in about half the CPU time; core/renderers.py). Pages and the admin stay Django templates.
FORM_RENDERER = "paradewi.core.renderers.FormRenderer"

# Database: SQLite (WAL) under var/ by default, PostgreSQL (or any) through DATABASE_URL.
_database_url = env_optional_str("DATABASE_URL")
if _database_url:
    try:
        DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60)}
    except ValueError as error:
        raise ImproperlyConfigured(f"DATABASE_URL is malformed: {error}") from None
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    SQLITE_CACHE_MB = env_int("SQLITE_CACHE_MB", 32, minimum=2, maximum=1024)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(VAR_DIR / "paradewi.sqlite3"),
            "OPTIONS": {
                # WAL lets the web server read while the worker writes; IMMEDIATE makes a
                # writing transaction take the write lock at BEGIN, so two writers queue
                # behind `timeout` instead of failing with "database is locked".
                # A page cache of up to SQLITE_CACHE_MB per connection (SQLite's default is
                # 2 MB), kept between requests: each thread's connection stays open for
                # CONN_MAX_AGE seconds, as PostgreSQL's do, instead of starting cold.
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=20000; "
                    f"PRAGMA cache_size=-{SQLITE_CACHE_MB * 1024};"
                ),
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# django-axes first: it refuses a locked-out username+IP before the password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "paradewi.accounts.backends.RoleBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
PASSWORD_MIN_LENGTH = env_int("PASSWORD_MIN_LENGTH", 10, minimum=8, maximum=64)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "paradewi.accounts.password_validation.NotUsernameValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("username", "full_name", "email")},
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": PASSWORD_MIN_LENGTH},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24
# Reset e-mails asked for per client IP and per address within an hour (docs/security.md).
PASSWORD_RESET_LIMIT_PER_IP = env_int("PASSWORD_RESET_LIMIT_PER_IP", 10, minimum=1)
PASSWORD_RESET_LIMIT_PER_EMAIL = env_int("PASSWORD_RESET_LIMIT_PER_EMAIL", 3, minimum=1)

# Reverse proxies in front of the app that append to X-Forwarded-For (0: the app faces the
# clients). The client's address is the one the outermost trusted proxy saw; anything further
# left in the header is what the client claims and is ignored.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, minimum=0, maximum=5)
# `Server-Timing: app;dur=<ms>, cpu;dur=<ms>` on every response (core.middleware.
# ServerTimingMiddleware): the server's own time and the serving thread's CPU time, for the
# benchmark and for an access log that wants it.
SERVER_TIMING = env_bool("SERVER_TIMING", False)

# Two-factor authentication (TOTP, recovery codes): required for the roles of
# accounts.policy.TWO_FACTOR_ROLES, optional for the others (docs/security.md).
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "paradewi")
# Wrong codes make a device wait 1, 2, 4, 8... seconds before it accepts another.
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1

# Login throttling (django-axes): N failed logins for one username from one IP lock that pair
# out for the cool-off time; other users and other addresses are not affected. Attempts live
# in the database, shared by every app server, listed (and unlocked) in the admin site.
AXES_ENABLED = True
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1, maximum=100)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "paradewi.accounts.network.client_ip"
AXES_LOCKOUT_CALLABLE = "paradewi.accounts.views.locked_out"
AXES_USERNAME_FORM_FIELD = "username"
AXES_VERBOSE = False
# Failed logins across usernames per client address (and, behind a trusted proxy, per /24 or /64
# network) in a window; past the limit the address waits, except in browsers where the account
# has logged in before (accounts/guessing.py, docs/security.md).
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("LOGIN_ADDRESS_FAILURE_LIMIT", 20, minimum=2, maximum=1000)
LOGIN_NETWORK_FAILURE_LIMIT = env_int("LOGIN_NETWORK_FAILURE_LIMIT", 60, minimum=2, maximum=10000)
LOGIN_ADDRESS_WINDOW = env_int("LOGIN_ADDRESS_WINDOW_MINUTES", 15, minimum=1) * 60
LOGIN_ADDRESS_LOCKOUT = env_int("LOGIN_ADDRESS_LOCKOUT_MINUTES", 15, minimum=1) * 60
LOGIN_DEVICE_COOKIE_AGE = env_int("LOGIN_DEVICE_COOKIE_DAYS", 180, minimum=1) * 24 * 60 * 60

SESSION_ENGINE = "django.contrib.sessions.backends.db"
# Inactivity timeout: a session unused this long ends (refreshed at most once a minute).
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 30 * 60, minimum=300)
SESSION_SAVE_EVERY_REQUEST = False
SESSION_REFRESH_SECONDS = 60
# Absolute limit: however active, a session ends this long after the login.
SESSION_MAX_AGE = env_int("SESSION_MAX_AGE", 12 * 60 * 60, minimum=SESSION_COOKIE_AGE)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_COOKIES = env_bool("SECURE_COOKIES", not (DEBUG or DEMO_MODE))
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# HTTPS only in production: plain-http requests are redirected (the load balancer's health
# check of /healthz excepted), and browsers remember it for a year (HSTS).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", SECURE_COOKIES)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int(
    "SECURE_HSTS_SECONDS", 365 * 24 * 60 * 60 if SECURE_COOKIES else 0, minimum=0
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
# Only the `preload` directive: browsers' built-in list takes a domain when its owner submits it.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
# No inline script or style anywhere (docs/security.md); empty: no header.
CONTENT_SECURITY_POLICY = env_str(
    "CONTENT_SECURITY_POLICY",
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'",
)
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Indonesian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "paradewi" / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Asia/Jakarta")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "paradewi" / "static"]
# Uploaded scans, issued documents and previews: local disk by default, or an S3-compatible
# object store (MinIO, AWS, any provider) in production. Never served from a public URL: every
# file goes out through an access-checked view (docs/documents.md). Both backends encrypt every
# file with ENCRYPTION_KEYS below (paradewi/core/storage.py): the disk or bucket holds ciphertext.
STORAGE_BACKEND = env_choice("STORAGE_BACKEND", "local", ("local", "s3"))
_default_storage: dict[str, Any] = (
    {
        "BACKEND": "paradewi.core.storage.EncryptedS3Storage",
        "OPTIONS": {
            "bucket_name": env_str("S3_BUCKET", "paradewi"),
            "endpoint_url": env_optional_str("S3_ENDPOINT_URL"),
            "region_name": env_optional_str("S3_REGION"),
            "access_key": env_optional_str("S3_ACCESS_KEY_ID"),
            "secret_key": env_optional_str("S3_SECRET_ACCESS_KEY"),
            "location": env_str("S3_PREFIX", ""),
            # Private objects; nothing is ever linked to directly.
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
            "addressing_style": env_choice("S3_ADDRESSING_STYLE", "path", ("path", "virtual")),
            # An object being read is buffered in memory up to this size, on disk beyond it
            # (0 would keep every download and archive member wholly in memory).
            "max_memory_size": 2_621_440,
        },
    }
    if STORAGE_BACKEND == "s3"
    else {
        "BACKEND": "paradewi.core.storage.EncryptedFileSystemStorage",
        "OPTIONS": {"location": VAR_DIR / "media"},
    }
)
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        ),
    },
}
# Immutable, fingerprinted assets: a village officer's phone keeps them for a year.
WHITENOISE_MAX_AGE = 60 * 60 * 24 * 365

# "default" is shared by every app server (rate limits, throttles): the database unless
# CACHE_URL names Redis. "local" is per process, for small look-ups that may be a minute stale.
_cache_url = env_optional_str("CACHE_URL")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _cache_url}
        if _cache_url
        else {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "paradewi_cache",
        }
    ),
    "local": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
}
# Seconds a dashboard's figures are kept per process for readers of the same area, role and
# period (reports.cache); 0 computes them for every page.
REPORT_CACHE_SECONDS = env_int("REPORT_CACHE_SECONDS", 60, minimum=0, maximum=600)

TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if (DEBUG or DEMO_MODE)
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1, maximum=65535)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "paradewi@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Limits for uploaded scans and issued documents.
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 5 * 1024 * 1024, minimum=1024)
UPLOAD_MAX_PDF_PAGES = env_int("UPLOAD_MAX_PDF_PAGES", 20, minimum=1)
UPLOAD_MAX_PIXELS = env_int("UPLOAD_MAX_PIXELS", 40_000_000, minimum=1_000_000)
OUTPUT_MAX_BYTES = env_int("OUTPUT_MAX_BYTES", 20 * 1024 * 1024, minimum=1024)
# The electronic signature of the PDFs the Dinas issues (documents/signatures.py): required to be
# valid (else the upload is refused), or only checked and warned about; and the certificates
# (PEM or DER files) of the authorities whose signers count as trusted, e.g. BSrE's root.
OUTPUT_SIGNATURE_REQUIRED = env_bool("OUTPUT_SIGNATURE_REQUIRED", False)
SIGNATURE_TRUST_ROOTS = env_list("SIGNATURE_TRUST_ROOTS", [])
OUTPUT_MAX_PDF_PAGES = env_int("OUTPUT_MAX_PDF_PAGES", 50, minimum=1)
# The target of a correction of the Dinas's own clerical error (pembetulan, UU 23/2006 Pasal 71
# as amended by UU 24/2013), in working hours. No regulation sets one: the regency's choice.
CORRECTION_TARGET_HOURS = env_int("CORRECTION_TARGET_HOURS", 4, minimum=1, maximum=200)
# Photos are re-encoded on arrival (EXIF/GPS gone, orientation applied): longest side, quality.
UPLOAD_IMAGE_MAX_SIDE = env_int("UPLOAD_IMAGE_MAX_SIDE", 2000, minimum=600, maximum=6000)
UPLOAD_JPEG_QUALITY = env_int("UPLOAD_JPEG_QUALITY", 82, minimum=40, maximum=95)
# Uploads of requests finished this many days ago are deleted (history, hashes and outputs stay).
UPLOAD_RETENTION_DAYS = env_int("UPLOAD_RETENTION_DAYS", 365, minimum=1)
# Access-log rows (paradewi/audit: who opened or took a resident's personal data) are deleted
# after this many days by the daily clock (or `manage.py purge_access_log`).
ACCESS_LOG_RETENTION_DAYS = env_int("ACCESS_LOG_RETENTION_DAYS", 5 * 365, minimum=365)
# Key of the tamper-evident history chain (requests/history.py). Empty: SECRET_KEY. Set it
# on its own in production, so rotating SECRET_KEY does not invalidate the chain.
HISTORY_CHAIN_KEY = env_str("HISTORY_CHAIN_KEY", "")
# Encryption at rest (paradewi/core/crypto.py, docs/security.md): NIK and KK numbers and the
# request details in the database, and every stored file. ENCRYPTION_KEYS lists "id:base64" keys
# of 32 bytes; the first encrypts, all decrypt (rotation: put a new key first, run
# `manage.py rotate_keys`, then drop the old one). SEARCH_INDEX_KEY keys the exact-match search
# hashes of NIK and KK. Both are required unless DEBUG or demo mode, where they are derived from
# SECRET_KEY. `manage.py new_encryption_key` prints a fresh key.
_encryption_keys = env_list("ENCRYPTION_KEYS", [])
_search_index_key = env_optional_str("SEARCH_INDEX_KEY")
if (not _encryption_keys or _search_index_key is None) and not (DEBUG or DEMO_MODE):
    raise ImproperlyConfigured(
        "ENCRYPTION_KEYS and SEARCH_INDEX_KEY must be set "
        "(they are only optional with DEBUG=true or PARADEWI_DEMO=true)."
    )
ENCRYPTION_KEYS: dict[str, bytes] = (
    parse_keys(_encryption_keys)
    if _encryption_keys
    else {"dev": hashlib.sha256(f"paradewi encryption\x00{SECRET_KEY}".encode()).digest()}
)
SEARCH_INDEX_KEY: bytes = (
    decode_key(_search_index_key, "SEARCH_INDEX_KEY")
    if _search_index_key
    else hashlib.sha256(f"paradewi search index\x00{SECRET_KEY}".encode()).digest()
)
# PAdES signature of the PDFs the system makes (receipts, generated forms): a PKCS#12 file and
# its password. Empty: the PDFs are not signed. Demo mode makes a demo key in var/.
SIGNING_PKCS12_PATH = env_str("SIGNING_PKCS12_PATH", "")
SIGNING_PKCS12_PASSWORD = env_str("SIGNING_PKCS12_PASSWORD", "")
# Keys live apart from the data (VAR_DIR: the database, the stored files), so a copy or backup
# of the data folder never carries a key with it; they are backed up on their own (docs/backup.md).
KEY_DIR = Path(env_str("PARADEWI_KEY_DIR", str(BASE_DIR / "keys")))
if DEMO_MODE and not SIGNING_PKCS12_PATH:
    # Made by `manage.py make_signing_key` (`make run` calls it). The password is published:
    # a signature with this key only shows how signing works, it proves nothing.
    SIGNING_PKCS12_PATH = str(KEY_DIR / "demo-signing.p12")
    SIGNING_PKCS12_PASSWORD = "paradewi-demo-signing"  # noqa: S105
# An RFC 3161 timestamp server for the signatures (PAdES B-T). Empty: no timestamp, and signing
# never uses the network.
SIGNING_TIMESTAMP_URL = env_str("SIGNING_TIMESTAMP_URL", "")
if SIGNING_TIMESTAMP_URL and not re.fullmatch(r"https?://\S+", SIGNING_TIMESTAMP_URL):
    raise ImproperlyConfigured(
        f"SIGNING_TIMESTAMP_URL={SIGNING_TIMESTAMP_URL!r} must be an http(s) address."
    )
# Django refuses request bodies above this (uploads stream to disk beyond 2.5 MB).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# Office hours and days told to residents in messages (ISO weekdays, 1 = Monday). The
# service-level clock reads the administrator's office hours (worktime.OfficeSchedule,
# Perpres 21/2023 by default), not these.
OFFICE_HOURS = env_time_range("OFFICE_HOURS", "08:00-16:00")
OFFICE_DAYS = env_int_list("OFFICE_DAYS", [1, 2, 3, 4, 5], minimum=1, maximum=7)

# Seconds after which /healthz calls the worker down if a heartbeat task has not run.
WORKER_HEARTBEAT_TIMEOUT = env_int("WORKER_HEARTBEAT_TIMEOUT", 120, minimum=10)
# /healthz tells anyone only whether the service is up; the parts (database vendor, worker) go
# to a monitor that sends `Authorization: Bearer <HEALTHZ_TOKEN>`, or to a call on this host.
HEALTHZ_TOKEN = env_str("HEALTHZ_TOKEN", "")

# Days a status link in a WhatsApp/SMS message opens the page without the PIN (the receipt's QR
# code always does): a copied message (gateway logs, the outbox, a backup) stops working.
TRACKING_LINK_DAYS = env_int("TRACKING_LINK_DAYS", 30, minimum=1, maximum=365)

# Notifications (docs/notifications.md). The address residents and officers open links at (QR
# codes of slips, e-mail and WhatsApp links). Unset: the local server of `make run`, on the port
# it serves (SERVE_PORT, which `make run PORT=8100` passes to the web server, the worker and the
# clock alike; honcho's own PORT differs per process).
SERVE_PORT = env_int("SERVE_PORT", 8000, minimum=1, maximum=65535)
SITE_URL = env_str("SITE_URL", f"http://127.0.0.1:{SERVE_PORT}").rstrip("/")
if not re.fullmatch(r"https?://[^/\s]+(/[^\s]*)?", SITE_URL):
    raise ImproperlyConfigured(f"SITE_URL={SITE_URL!r} must be an http(s) address.")
# Language of e-mails and WhatsApp/SMS (templates exist in both).
NOTIFICATIONS_LANGUAGE = env_choice("NOTIFICATIONS_LANGUAGE", "id", ("id", "en"))
# Residents' text messages go out as WhatsApp or as SMS, through one HTTP gateway.
NOTIFICATIONS_TEXT_CHANNEL = env_choice(
    "NOTIFICATIONS_TEXT_CHANNEL", "whatsapp", ("whatsapp", "sms")
)
# Empty: messages are only logged in DEBUG/demo, and not made at all otherwise.
NOTIFICATIONS_GATEWAY_URL = env_str("NOTIFICATIONS_GATEWAY_URL", "")
NOTIFICATIONS_GATEWAY_TOKEN = env_str("NOTIFICATIONS_GATEWAY_TOKEN", "")
NOTIFICATIONS_GATEWAY_AUTH_HEADER = env_str("NOTIFICATIONS_GATEWAY_AUTH_HEADER", "Authorization")
# "Bearer" sends "Authorization: Bearer <token>"; "none" sends the bare token.
NOTIFICATIONS_GATEWAY_AUTH_SCHEME = env_str("NOTIFICATIONS_GATEWAY_AUTH_SCHEME", "Bearer")
NOTIFICATIONS_GATEWAY_PAYLOAD = env_str(
    "NOTIFICATIONS_GATEWAY_PAYLOAD",
    '{"to": "{phone}", "channel": "{channel}", "message": "{text}", "reference": "{id}"}',
)
try:
    if not isinstance(json.loads(NOTIFICATIONS_GATEWAY_PAYLOAD), dict):
        raise ValueError("not an object")
except ValueError as error:
    raise ImproperlyConfigured(
        f"NOTIFICATIONS_GATEWAY_PAYLOAD must be a JSON object: {error}"
    ) from None
NOTIFICATIONS_GATEWAY_TIMEOUT = env_int("NOTIFICATIONS_GATEWAY_TIMEOUT", 10, minimum=1, maximum=120)
# A field of the gateway's JSON answer that must be true (some answer 200 with "status": false).
NOTIFICATIONS_GATEWAY_OK_FIELD = env_str("NOTIFICATIONS_GATEWAY_OK_FIELD", "")
# Delivery: attempts, first retry delay (doubling each time), lease of a row being sent.
NOTIFICATIONS_MAX_ATTEMPTS = env_int("NOTIFICATIONS_MAX_ATTEMPTS", 8, minimum=1, maximum=30)
NOTIFICATIONS_RETRY_SECONDS = env_int("NOTIFICATIONS_RETRY_SECONDS", 60, minimum=1)
NOTIFICATIONS_LEASE_SECONDS = env_int("NOTIFICATIONS_LEASE_SECONDS", 300, minimum=30)
if NOTIFICATIONS_LEASE_SECONDS <= 2 * NOTIFICATIONS_GATEWAY_TIMEOUT:
    raise ImproperlyConfigured(
        "NOTIFICATIONS_LEASE_SECONDS must be more than twice NOTIFICATIONS_GATEWAY_TIMEOUT."
    )
# Longest SMS, in parts of 153 (GSM-7) or 67 (UCS-2) characters; reasons are shortened to fit.
NOTIFICATIONS_SMS_MAX_PARTS = env_int("NOTIFICATIONS_SMS_MAX_PARTS", 3, minimum=1, maximum=10)
# Warn the holder this many working minutes before a request's target time.
NOTIFICATIONS_APPROACHING_MINUTES = env_int("NOTIFICATIONS_APPROACHING_MINUTES", 120, minimum=1)
# The daily overdue digest goes out on working days at the first tick within these hours.
NOTIFICATIONS_DIGEST_HOURS = env_time_range("NOTIFICATIONS_DIGEST_HOURS", "07:00-16:00")
NOTIFICATIONS_DIGEST_MAX_ITEMS = env_int("NOTIFICATIONS_DIGEST_MAX_ITEMS", 50, minimum=1)
# The menu's unread counter refreshes itself every so many seconds (0: only on page loads).
NOTIFICATIONS_POLL_SECONDS = env_int("NOTIFICATIONS_POLL_SECONDS", 60, minimum=0)
# `manage.py notifications_clock` runs the periodic jobs every so many seconds.
NOTIFICATIONS_CLOCK_SECONDS = env_int("NOTIFICATIONS_CLOCK_SECONDS", 300, minimum=10)

LOG_LEVEL = env_choice("LOG_LEVEL", "INFO", ("DEBUG", "INFO", "WARNING", "ERROR"))
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
}
