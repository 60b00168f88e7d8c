"""IPM settings, read from environment variables (prefix ``IPM_``).

The embedded default is SQLite in ``var/`` beside the checkout, so ``make demo`` needs no other service.
``IPM_ENVIRONMENT=production`` turns on the checks that refuse an unsafe start (default secret key, DEBUG).
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent.parent

env = environ.Env()

DEVELOPMENT_SECRET_KEY = "ipm-development-key-never-use-in-production"  # noqa: S105

ENVIRONMENT = env.str("IPM_ENVIRONMENT", default="development")
if ENVIRONMENT not in {"development", "test", "production"}:
    raise ImproperlyConfigured("IPM_ENVIRONMENT must be development, test or production")
PRODUCTION = ENVIRONMENT == "production"

SECRET_KEY = env.str("IPM_SECRET_KEY", default=DEVELOPMENT_SECRET_KEY)
DEBUG = env.bool("IPM_DEBUG", default=not PRODUCTION and ENVIRONMENT != "test")
ALLOWED_HOSTS = env.list("IPM_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("IPM_CSRF_TRUSTED_ORIGINS", default=[])

if PRODUCTION:
    if SECRET_KEY == DEVELOPMENT_SECRET_KEY or len(SECRET_KEY) < 40:
        raise ImproperlyConfigured("Production needs IPM_SECRET_KEY: a random value of at least 40 characters.")
    if DEBUG:
        raise ImproperlyConfigured("Production refuses to start with IPM_DEBUG on.")

VAR_DIR = Path(env.str("IPM_VAR_DIR", default=str(PROJECT_DIR / "var")))

INSTALLED_APPS = [
    "ipm.web",  # first, so its templates override allauth's
    "ipm.accounts",
    "ipm.access",
    "ipm.audit",
    "ipm.demo",
    "ipm.notifications",
    "ipm.catalog",
    "ipm.search",
    "ipm.scans",
    "ipm.resolver",
    "ipm.connected",
    "ipm.epcis",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "ninja",
    "parler",
    "django_countries",  # for its translated country names
    "django_tasks",
    "django_tasks_db",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Django reads multipart bodies (request.FILES) for POST only; the API's PUT uploads (a clue's photos) need it too.
    "ninja.compatibility.files.fix_request_files_middleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "ipm.accounts.middleware.ActiveAccountMiddleware",
    "ipm.accounts.middleware.UserTimezoneMiddleware",
    "ipm.accounts.middleware.RequireTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "ipm.urls"
WSGI_APPLICATION = "ipm.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "ipm.web.context_processors.shell",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------------------------
DATABASES = {
    "default": env.db_url("IPM_DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'ipm.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    if DATABASES["default"]["NAME"] != ":memory:":
        Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL and a busy timeout let the web tier and background work share the file without "database is locked".
    # A checkpoint (two fsyncs) runs in whichever request commits past the threshold: at 10,000 pages (~40 MB of
    # WAL) instead of SQLite's 1,000 it comes ten times more rarely for about the same time, which took the p99 of
    # a scan-log insert from 2–5 ms to 0.3 ms (bench/scan_load.py writes one row per scan).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA wal_autocheckpoint=10000;",
        }
    )
elif env.bool("IPM_DATABASE_PREPARED_STATEMENTS", default=True):
    # PostgreSQL parses and plans every statement again unless it is prepared: with server-side parameters, psycopg
    # prepares a statement once a connection has run it 5 times. That cut the database's CPU per scan by two thirds
    # (bench/scan_load.py). Django leaves it off for transaction-mode connection poolers (PgBouncer without
    # max_prepared_statements), which cannot follow prepared statements: behind one, set the variable to off.
    DATABASES["default"].setdefault("OPTIONS", {}).update({"server_side_binding": True, "prepare_threshold": 5})
# Persistent connections on both engines: opening one per request (and, on SQLite, re-running the PRAGMAs) cost
# more than the whole API request it served (bench/request_profile.py).
DATABASES["default"]["CONN_MAX_AGE"] = env.int("IPM_CONN_MAX_AGE", default=60)
# Checks a reused connection before each request's first query (a round trip): a database restart then costs no
# failed request. Off, PostgreSQL requests save that round trip (bench/request_profile.py).
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool("IPM_CONN_HEALTH_CHECKS", default=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts and sign-in -------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "home"

ACCOUNT_ADAPTER = "ipm.accounts.adapter.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"  # people join by invitation, which proves the address
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[IPM] "
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False  # nobody can sign up, so a reset for an unknown address sends nothing
ACCOUNT_RATE_LIMITS = {
    "login_failed": env.str("IPM_LOGIN_FAILED_RATE", default="10/m/ip,5/5m/key"),
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = False
MFA_TOTP_ISSUER = "IPM"
# An invitation link proves the address; allauth would otherwise refuse 2FA set-up once a password reset has added
# an unverified email record, locking members of organisations that require 2FA out.
MFA_ALLOW_UNVERIFIED_EMAIL = True
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = not PRODUCTION
USERSESSIONS_TRACK_ACTIVITY = True

SESSION_COOKIE_AGE = env.int("IPM_SESSION_SECONDS", default=8 * 3600)  # one working shift
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# No inline or third-party scripts anywhere (pages, allauth, the API docs). Inline styles are allowed because the
# API docs page sets them; they cannot run code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        # The scan page alone adds 'wasm-unsafe-eval' for its WebAssembly barcode reader (scans/views.py).
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
SECURE_SSL_REDIRECT = env.bool("IPM_SSL_REDIRECT", default=PRODUCTION)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe over plain HTTP
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("IPM_HSTS_SECONDS", default=31536000)

INVITATION_VALID_DAYS = env.int("IPM_INVITATION_VALID_DAYS", default=7)
API_TOKEN_MAX_DAYS = env.int("IPM_API_TOKEN_MAX_DAYS", default=365)
# Published sheets nobody has reviewed for this many months are stale: `ipm remind_stale_sheets` (run daily) emails
# their right holder at most once a week. Links in mail sent from background work start with IPM_BASE_URL.
IPM_REVIEW_REMINDER_MONTHS = env.int("IPM_REVIEW_REMINDER_MONTHS", default=12)
IPM_BASE_URL = env.str("IPM_BASE_URL", default="http://127.0.0.1:8000")

# --- Mail -----------------------------------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("IPM_EMAIL_URL", default="smtp://127.0.0.1:1025")
vars().update(EMAIL_CONFIG)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env.str("IPM_DEFAULT_FROM_EMAIL", default="IPM <no-reply@ipm.invalid>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Background work ------------------------------------------------------------------------------------------
# The database backend needs a worker (`ipm db_worker`); `make demo` starts one beside the web server. Tests use
# the immediate backend, which runs a task at once in the caller.
TASKS = {
    "default": {
        "BACKEND": env.str("IPM_TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
    }
}

# --- Languages and time ---------------------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("fr", "Français"),
    ("es", "Español"),
    ("ar", "العربية"),
    ("ru", "Русский"),
    ("zh-hans", "简体中文"),
    ("pt", "Português"),
]
LANGUAGES_BIDI = ["ar"]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
# Content (product sheets…) may be written in any of the UI languages. Parler's own fallback is off: a sheet falls
# back to its own source language, which the catalogue handles (officers see a marker when it does).
PARLER_LANGUAGES = {None: tuple({"code": code} for code, _name in LANGUAGES), "default": {"hide_untranslated": False}}
PARLER_DEFAULT_LANGUAGE_CODE = "en"
PARLER_SHOW_EXCLUDED_LANGUAGE_TABS = False
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"
LANGUAGE_COOKIE_NAME = "ipm_language"
LANGUAGE_COOKIE_SECURE = PRODUCTION
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Files ----------------------------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("IPM_STATIC_ROOT", default=str(VAR_DIR / "static")))
NODE_MODULES = Path(env.str("IPM_NODE_MODULES", default=str(PROJECT_DIR / "node_modules")))
STATICFILES_DIRS = [
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", NODE_MODULES / "bootstrap-icons" / "font"),
    # The scan page's barcode reader where the browser has no BarcodeDetector: zxing-wasm's ES module and its
    # WebAssembly, both served from here (scans/camera.js points zxing-wasm at this .wasm instead of its CDN).
    ("vendor/zxing-wasm/es", NODE_MODULES / "zxing-wasm" / "dist" / "es"),
    ("vendor/zxing-wasm/reader", NODE_MODULES / "zxing-wasm" / "dist" / "reader"),
]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("IPM_MEDIA_ROOT", default=str(VAR_DIR / "media")))
# Pictures: the largest file accepted, and the most pixels decoded (checked from the header, before decoding).
MAX_UPLOAD_BYTES = env.int("IPM_MAX_UPLOAD_BYTES", default=15 * 1024 * 1024)
MAX_IMAGE_PIXELS = env.int("IPM_MAX_IMAGE_PIXELS", default=40_000_000)
# Off (the default), each scan's log row is inserted in its request: no scan goes unlogged. On, rows are written
# behind the requests in batches (ipm.scans.log_writer), which is faster but lost a few scans on a server stop in
# bench/scan_load.py: an opt-in for a deployment that values throughput over a complete log.
SCAN_LOG_DEFERRED = env.bool("IPM_SCAN_LOG_DEFERRED", default=False)
# Pictures an import names by URL: hosts fetched even though they resolve to a private, loopback or otherwise
# non-public address (an intranet picture server, say). Empty: only public addresses are fetched.
IPM_IMPORT_URL_ALLOWED_HOSTS = env.list("IPM_IMPORT_URL_ALLOWED_HOSTS", default=[])
IPM_IMPORT_URL_TIMEOUT = env.float("IPM_IMPORT_URL_TIMEOUT", default=5.0)
# IPM Connected: a service's verification URL (or app link) may be plain http:// to a loopback address only in
# development (DEBUG) or where this is on (tests, the demo's reference provider). Everywhere else: https only.
IPM_CONNECTED_ALLOW_LOOPBACK_HTTP = env.bool("IPM_CONNECTED_ALLOW_LOOPBACK_HTTP", default=False)
STORAGES = {
    "default": {
        "BACKEND": env.str("IPM_FILE_STORAGE", default="django.core.files.storage.FileSystemStorage"),
        "OPTIONS": env.json("IPM_FILE_STORAGE_OPTIONS", default={}),
    },
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("IPM_LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

SITE_NAME = _("IPM — Interface Public-Members")
