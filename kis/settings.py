"""Settings for kis: one module, read from the environment.

Every value that differs between a laptop and production comes from a ``KIS_*`` variable.
Production is the default: ``KIS_DEBUG`` must be set explicitly to get development behaviour.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off", ""):
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (0/1), got {value!r}")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = env_bool("KIS_DEBUG", False)
TESTING = env_bool("KIS_TESTING", False)

SECRET_KEY = env("KIS_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("KIS_SECRET_KEY must be set when KIS_DEBUG is off.")
    SECRET_KEY = "dev-only-insecure-key-" + "x" * 40

# First key encrypts, every key decrypts: prepend a new key to rotate (see docs/operators.md).
FIELD_ENCRYPTION_KEYS = env_list("KIS_FIELD_ENCRYPTION_KEYS")
# Keyed hash for matching people across clubs without moving their PESEL (architecture.md §6).
PESEL_HASH_KEY = env("KIS_PESEL_HASH_KEY")
if not DEBUG and (not FIELD_ENCRYPTION_KEYS or not PESEL_HASH_KEY):
    raise ImproperlyConfigured("KIS_FIELD_ENCRYPTION_KEYS and KIS_PESEL_HASH_KEY must be set when KIS_DEBUG is off.")
if not FIELD_ENCRYPTION_KEYS:
    FIELD_ENCRYPTION_KEYS = ["ZGV2LW9ubHkta2V5LW5vdC1mb3ItcHJvZHVjdGlvbiE="]
if not PESEL_HASH_KEY:
    PESEL_HASH_KEY = "dev-only-pesel-hash-key"

# Second factor for every staff role. Production cannot turn it off (checked just below).
REQUIRE_MFA = env_bool("KIS_REQUIRE_MFA", True)
if not DEBUG and not REQUIRE_MFA:
    raise ImproperlyConfigured("KIS_REQUIRE_MFA cannot be turned off when KIS_DEBUG is off.")

ALLOWED_HOSTS = env_list("KIS_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("KIS_CSRF_TRUSTED_ORIGINS")
SITE_URL = env("KIS_SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "kis.accounts",
    "kis.audit",
    "kis.clubs",
    "kis.participants",
    "kis.contracts",
    "kis.activities",
    "kis.registry",
    "kis.documents",
    "kis.reports",
    "kis.demo",
    "django_tasks_db",
    "crontask",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_htmx",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "kis.lib.middleware.RequestIdMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "kis.lib.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",  # before the two below: they add messages
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "kis.accounts.middleware.SessionLimitsMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "kis.accounts.middleware.RequireMFAMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "kis.lib.middleware.NoStoreMiddleware",
]

ROOT_URLCONF = "kis.urls"
WSGI_APPLICATION = "kis.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "kis" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kis.accounts.context_processors.access",
            ],
        },
    },
]

DATA_DIR = Path(env("KIS_DATA_DIR", str(BASE_DIR / "var")))

if env("KIS_DB", "sqlite") == "postgres":
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.postgresql",
            # Empty values let libpq read PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE.
            "NAME": env("PGDATABASE", "kis"),
            "HOST": env("PGHOST"),
            "PORT": env("PGPORT"),
            "USER": env("PGUSER"),
            "PASSWORD": env("PGPASSWORD"),
            "CONN_MAX_AGE": int(env("KIS_DB_CONN_MAX_AGE", "60")),
            "CONN_HEALTH_CHECKS": True,
        }
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env("KIS_SQLITE_PATH", str(DATA_DIR / "kis.sqlite3")),
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
            },
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Rate limits (login throttling) need a cache shared by every worker process.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "kis_cache",
    }
}

# Long work (PDF batches, report snapshots, reminders) runs as django.tasks in a database queue:
# `kis db_worker` processes it, `kis crontask` schedules the periodic ones. Tests run tasks at once.
TASKS = {
    "default": {
        "BACKEND": "django.tasks.backends.immediate.ImmediateBackend"
        if TESTING
        else env("KIS_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# Regional and national report tables hide cells below this many people (docs/privacy.md).
REPORT_SMALL_CELL_THRESHOLD = int(env("KIS_REPORT_SMALL_CELL_THRESHOLD", "3"))

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["allauth.account.auth_backends.AuthenticationBackend"]
PASSWORD_HASHERS = [
    # OWASP's Argon2id parameters (see the module); it also verifies hashes of other Argon2 parameters.
    "kis.accounts.hashers.KisArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ["email", "full_name"]},
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "account_login"

# allauth: login by e-mail, accounts only by invitation, no e-mail verification round trip
# (the invitation link proves the address).
ACCOUNT_ADAPTER = "kis.accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = True
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[KIS] "
ACCOUNT_RATE_LIMITS = {
    # Per IP and per account; each failed password counts. See docs/operators.md.
    "login_failed": "10/m/ip,5/300s/key",
    "login": "30/m/ip",
}
MFA_ADAPTER = "kis.accounts.adapter.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_TOTP_ISSUER = "KIS"
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG

# Sessions: 30 minutes idle (the cookie is renewed on each request), 10 hours absolute
# (SessionLimitsMiddleware). Permissions are never cached in the session.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_ABSOLUTE_SECONDS = 10 * 60 * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_NAME = "sessionid" if DEBUG else "__Host-sessionid"
CSRF_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_NAME = "csrftoken" if DEBUG else "__Host-csrftoken"
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

SECURE_SSL_REDIRECT = env_bool("KIS_SSL_REDIRECT", not DEBUG)
# Reverse proxies in front of the app that append to X-Forwarded-For (client IP for audit and throttling).
ALLAUTH_TRUSTED_PROXY_COUNT = int(env("KIS_TRUSTED_PROXY_COUNT", "0"))
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("KIS_BEHIND_PROXY", False) else None
SECURE_HSTS_SECONDS = 0 if DEBUG else 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

LANGUAGE_CODE = "pl"
LANGUAGES = [("pl", _("Polish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "kis" / "locale"]
FORMAT_MODULE_PATH = ["kis.formats"]
TIME_ZONE = "Europe/Warsaw"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "kis" / "static"]  # kis/ itself is not an app, so no finder looks here otherwise
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
# Uploaded case documents live outside the web root and are served only through a checked view.
MEDIA_ROOT = DATA_DIR / "uploads"
MEDIA_URL = "/nie-publiczne/"  # never routed: documents are served by participants:document_download
UPLOAD_MAX_BYTES = int(env("KIS_UPLOAD_MAX_BYTES", str(10 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or TESTING
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

_MAIL_BACKEND = env(
    "KIS_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
MAILERS = {
    "default": {
        "BACKEND": _MAIL_BACKEND,
        "OPTIONS": {
            "host": env("KIS_EMAIL_HOST", "localhost"),
            "port": int(env("KIS_EMAIL_PORT", "25")),
            "username": env("KIS_EMAIL_HOST_USER"),
            "password": env("KIS_EMAIL_HOST_PASSWORD"),
            "use_tls": env_bool("KIS_EMAIL_USE_TLS", False),
        }
        if _MAIL_BACKEND.endswith("smtp.EmailBackend")
        else {},
    }
}
DEFAULT_FROM_EMAIL = env("KIS_DEFAULT_FROM_EMAIL", "kis@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("KIS_LOG_LEVEL", "INFO")},
    "loggers": {"django.server": {"level": "INFO"}},
}
