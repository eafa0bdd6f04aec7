"""One settings module, driven by the environment (notes/stack.md §17, healthchecks' style).

THIDUA_DEBUG, THIDUA_SECRET_KEY, THIDUA_ALLOWED_HOSTS, DATABASE_URL (default: SQLite under var/),
THIDUA_VAR_DIR (where the SQLite file, uploads and generated files live); the production switches
(THIDUA_HTTPS, THIDUA_BEHIND_PROXY, THIDUA_HSTS_*, login and session limits) are in the "Login,
sessions and HTTPS" section below and in README's deployment section.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


VAR_DIR = Path(os.environ.get("THIDUA_VAR_DIR", PROJECT_DIR / "var"))
# The SQLite file, collected static files and uploads live here; create it so a fresh clone just runs.
(VAR_DIR / "static").mkdir(parents=True, exist_ok=True)
DEBUG = env_bool("THIDUA_DEBUG")
# A development key is only acceptable while DEBUG is on or under tests; `check --deploy` flags it.
SECRET_KEY = os.environ.get("THIDUA_SECRET_KEY", "thidua-dev-only-key-change-me-" + "x" * 24)
ALLOWED_HOSTS = env_list("THIDUA_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tasks_db",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "thidua.audit",
    "thidua.org",
    "thidua.covenants",
    "thidua.scoring",
    "thidua.reporting",
    "thidua.conference",
    "thidua.awards",
    "thidua.documents",
    "thidua.api",

]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "thidua.lib.middleware.VietnameseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "thidua.org.middleware.TwoFactorRequiredMiddleware",
    "thidua.org.middleware.SessionIdleMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes requires: it turns a flagged lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "thidua.urls"
WSGI_APPLICATION = "thidua.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            "builtins": ["thidua.lib.vi_filters"],
        },
    }
]

DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'thidua.sqlite3'}"
# THIDUA_DB_CONN_MAX_AGE: seconds a database connection is kept for the next request (0: one per
# request, the default). scripts/serve and the load test keep them (60): opening a PostgreSQL
# connection costs more than a whole cached page (docs/PERFORMANCE.md, issue #8).
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=int(os.environ.get("THIDUA_DB_CONN_MAX_AGE", "0")),
                                              conn_health_checks=True)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while one writer writes; IMMEDIATE makes writers queue for the lock
    # instead of failing with "database is locked" half-way through a transaction.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "org.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"
# Django's rules with Vietnamese messages (thidua.org.passwords).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "thidua.org.passwords.SimilarityValidator"},
    {"NAME": "thidua.org.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "thidua.org.passwords.CommonPasswordValidator"},
    {"NAME": "thidua.org.passwords.NumericPasswordValidator"},
]

# ---------------------------------------------------------------- Login, sessions and HTTPS
# Lockout (django-axes, notes/stack.md §11): by username AND address together, so one person's
# mistakes never lock out a whole office behind one NAT address; a cool-off, never a permanent ban.
# The axes backend must come first: it refuses a locked-out pair before the password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = env_int("THIDUA_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("THIDUA_LOGIN_COOLOFF_MINUTES", 15))
AXES_RESET_ON_SUCCESS = True
# A fixed cool-off counted from the lockout (further tries do not extend it).
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "thidua.org.views_auth.locked_out"
AXES_DISABLE_ACCESS_LOG = True  # successful logins are in thidua.audit already (one log)
AXES_VERBOSE = False
# Behind a reverse proxy, the client's address is the X-Forwarded-For entry the proxy appended (counted
# from the right: the entries before it are whatever the client sent); never trust the header without
# a proxy (anyone could then pick a fresh address for every try). thidua.org.client_ip.
THIDUA_PROXY_COUNT = env_int("THIDUA_PROXY_COUNT", 1) if env_bool("THIDUA_BEHIND_PROXY") else 0
AXES_CLIENT_IP_CALLABLE = "thidua.org.client_ip.client_ip_address"

# Two-factor authentication (django-otp, TOTP + recovery codes): required for Board officers and
# council members (thidua.org.policy.requires_two_factor), optional for everyone else.
OTP_TOTP_ISSUER = os.environ.get("THIDUA_OTP_ISSUER", "Thi đua – Khen thưởng")

# Idle timeout: a session not used for this long ends (thidua.org.middleware.SessionIdleMiddleware
# renews it while in use); with THIDUA_SESSION_EXPIRE_AT_BROWSER_CLOSE=1 it also ends with the browser.
SESSION_COOKIE_AGE = env_int("THIDUA_SESSION_IDLE_MINUTES", 60) * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("THIDUA_SESSION_EXPIRE_AT_BROWSER_CLOSE")
THIDUA_SESSION_RENEW_SECONDS = 60  # renew at most once a minute: no database write on every request
SESSION_COOKIE_HTTPONLY = True

# HTTPS (production): THIDUA_HTTPS=1 turns on secure cookies, HTTPS redirect and HSTS;
# THIDUA_BEHIND_PROXY=1 trusts the proxy's X-Forwarded-Proto/-For (set it only behind one).
HTTPS = env_bool("THIDUA_HTTPS")
SESSION_COOKIE_SECURE = env_bool("THIDUA_SECURE_COOKIES", HTTPS)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env_bool("THIDUA_SSL_REDIRECT", HTTPS)
SECURE_HSTS_SECONDS = env_int("THIDUA_HSTS_SECONDS", 31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("THIDUA_HSTS_INCLUDE_SUBDOMAINS", HTTPS)
SECURE_HSTS_PRELOAD = env_bool("THIDUA_HSTS_PRELOAD", HTTPS)
if env_bool("THIDUA_BEHIND_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_TRUSTED_ORIGINS = env_list("THIDUA_CSRF_TRUSTED_ORIGINS", "")

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
FORMAT_MODULE_PATH = ["thidua.formats"]
# Figures are formatted explicitly with the `so` filters: automatic grouping would print years as "2.024".
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not env_bool("THIDUA_PLAIN_STATIC")
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = VAR_DIR / "files"  # evidence and generated documents: outside the static tree

from django.utils.csp import CSP  # noqa: E402  (settings import kept next to its use)

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("THIDUA_LOG_LEVEL", "WARNING")},
}

# Background work (deadline reminders) through Django's task framework, queued in the database and
# run by `thidua db_worker`; THIDUA_TASKS_IMMEDIATE=1 runs tasks inline (tests, a single office).
TASKS = {
    "default": {
        "BACKEND": "django.tasks.backends.immediate.ImmediateBackend"
        if env_bool("THIDUA_TASKS_IMMEDIATE")
        else "django_tasks_db.DatabaseBackend"
    }
}
MAILERS = {"default": {"BACKEND": os.environ.get("THIDUA_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")}}
# The SMTP server, for the SMTP backend: only the variables that are set become OPTIONS (the console
# backend takes none).
_SMTP_OPTIONS = {
    "host": os.environ.get("THIDUA_EMAIL_HOST"),
    "port": env_int("THIDUA_EMAIL_PORT", 0) or None,
    "username": os.environ.get("THIDUA_EMAIL_USER"),
    "password": os.environ.get("THIDUA_EMAIL_PASSWORD"),
    "use_tls": env_bool("THIDUA_EMAIL_TLS") or None,
    "use_ssl": env_bool("THIDUA_EMAIL_SSL") or None,
}
if any(value is not None for value in _SMTP_OPTIONS.values()):
    MAILERS["default"]["OPTIONS"] = {key: value for key, value in _SMTP_OPTIONS.items() if value is not None}
DEFAULT_FROM_EMAIL = os.environ.get("THIDUA_FROM_EMAIL", "thidua@localhost")
# Reminders go out this many days before a deadline (and on the day).
THIDUA_REMINDER_DAYS = (7, 3, 1, 0)

# The current year of the emulation cycle; the dashboard opens on it. Empty → the calendar year.
THIDUA_CURRENT_YEAR = int(os.environ["THIDUA_CURRENT_YEAR"]) if os.environ.get("THIDUA_CURRENT_YEAR") else None
