"""congso settings: one file, driven by environment variables.

Local use needs nothing: SQLite in ``var/``, a secret key generated into ``var/``, mail written to
``var/mail``.
Production sets ``CONGSO_SECRET_KEY``, ``CONGSO_ALLOWED_HOSTS`` and ``DATABASE_URL`` (see README).
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("CONGSO_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _local_secret_key() -> str:
    # Generated once per checkout so that sessions survive restarts; never used when the variable is set.
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = env_bool("CONGSO_DEBUG")
SECRET_KEY = os.environ.get("CONGSO_SECRET_KEY") or _local_secret_key()
ALLOWED_HOSTS = env_list("CONGSO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CONGSO_CSRF_TRUSTED_ORIGINS")

# The province this installation serves (GSO code; 96 = Cà Mau).
CONGSO_PROVINCE_CODE = os.environ.get("CONGSO_PROVINCE_CODE", "96")
# The address citizens reach the portal at: printed in QR codes and posters, so it must be the public one.
CONGSO_PUBLIC_BASE_URL = os.environ.get("CONGSO_PUBLIC_BASE_URL", "http://127.0.0.1:8000")
# clamd's UNIX socket: when set, every upload is scanned for viruses (and refused if clamd cannot answer).
CONGSO_CLAMD_SOCKET = os.environ.get("CONGSO_CLAMD_SOCKET") or None
# Refused uploads that may be malicious are kept here for review, outside media (congso.core.uploads).
CONGSO_QUARANTINE_DIR = Path(os.environ.get("CONGSO_QUARANTINE_DIR", VAR_DIR / "quarantine"))
CONGSO_QUARANTINE_DAYS = int(os.environ.get("CONGSO_QUARANTINE_DAYS", "90"))
# Public dossier lookups allowed per client address and window (seconds), against enumeration of codes.
CONGSO_LOOKUP_LIMIT = int(os.environ.get("CONGSO_LOOKUP_LIMIT", "20"))
CONGSO_LOOKUP_WINDOW = int(os.environ.get("CONGSO_LOOKUP_WINDOW", "600"))
# Office hours of the one-stop counters; legal deadlines count working time only inside them.
CONGSO_OFFICE_HOURS = [("07:00", "11:30"), ("13:30", "17:00")]
# Seconds a process trusts its in-memory catalogue search index before asking whether procedures changed.
CONGSO_SEARCH_FRESHNESS = float(os.environ.get("CONGSO_SEARCH_FRESHNESS", "5"))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "django_tasks",
    "django_tasks_db",
    "congso.core",
    "congso.geo",
    "congso.accounts",
    "congso.catalog",
    "congso.dossiers",
    "congso.notifications",
    "congso.audit",
    "congso.feedback",
    "congso.sync",
    "congso.payments",
    "congso.appointments",
    "congso.outreach",
    "congso.indicators",
    "congso.programme",
    "congso.api",
    "congso.security",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "congso.core.middleware.RejectNulMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "congso.core.middleware.PortalLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "congso.accounts.middleware.StaffSecurityMiddleware",
    "congso.security.middleware.PermissionsPolicyMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

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
                "congso.core.context_processors.portal",
            ],
        },
    },
]

# --- Cache -------------------------------------------------------------------------------------------------
# Rate limits (login, lookup) and the queues' tab counts need ONE cache shared by every web process: set
# CONGSO_CACHE_URL=redis://127.0.0.1:6379/1 in production (several gunicorn workers). Unset: each process
# keeps its own, which is right for `make run` (one process) and the tests.
CONGSO_CACHE_URL = os.environ.get("CONGSO_CACHE_URL", "")
if CONGSO_CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CONGSO_CACHE_URL,
            "KEY_PREFIX": "congso",
            "TIMEOUT": 300,
        }
    }
# Seconds the officers' queue counts may lag behind (0: always counted afresh).
CONGSO_QUEUE_COUNTS_TTL = int(os.environ.get("CONGSO_QUEUE_COUNTS_TTL", "30"))
# Personal-data retention (congso.core.retention, run daily): abandoned drafts, the access log.
CONGSO_RETENTION_DRAFT_DAYS = int(os.environ.get("CONGSO_RETENTION_DRAFT_DAYS", "90"))
CONGSO_RETENTION_ACCESS_LOG_DAYS = int(os.environ.get("CONGSO_RETENTION_ACCESS_LOG_DAYS", "730"))
# Payment gateway client for the periodic re-check of online payments (dotted path; unset: none).
CONGSO_PAYMENT_GATEWAY_CLIENT = os.environ.get("CONGSO_PAYMENT_GATEWAY_CLIENT", "")

# --- Database -------------------------------------------------------------------------------------------
# SQLite by default. WAL lets readers run beside the writer; IMMEDIATE transactions take the write lock at
# BEGIN, so two writers queue behind the busy timeout instead of failing with "database is locked".
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 60,
    "init_command": (
        "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA foreign_keys=ON;PRAGMA busy_timeout=60000;"
    ),
}

DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{VAR_DIR / 'congso.sqlite3'}",
        conn_max_age=int(os.environ.get("CONGSO_DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = SQLITE_OPTIONS

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts -------------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = os.environ.get("CONGSO_EMAIL_VERIFICATION", "optional")
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_RATE_LIMITS = {
    "login_failed": "5/5m/ip,5/5m/key",
    "signup": "20/h/ip",
    "reset_password": "5/h/ip,3/h/key",
    "reset_password_from_key": "20/m/ip",
    "login": "30/m/ip",  # lockout: login_failed above blocks an account after 5 failures in 5 minutes
    "change_password": "5/m/user",
}
MFA_RATE_LIMITS = {"webauthn_login": "10/m/ip"}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[congso] "
ACCOUNT_ADAPTER = "congso.accounts.adapter.AccountAdapter"
# Sign-up (by e-mail or through VNeID) asks for consent to personal-data processing and records it.
ACCOUNT_SIGNUP_FORM_CLASS = "congso.accounts.forms.SignupForm"
SOCIALACCOUNT_AUTO_SIGNUP = False
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]  # recovery codes: 10 single-use codes of 8 digits
MFA_TOTP_ISSUER = "congso"
MFA_RECOVERY_CODE_COUNT = 10
# Every official (any role binding, or staff) must use TOTP and pass it in each session
# (congso.accounts.middleware.StaffSecurityMiddleware); their sessions end sooner than citizens'.
CONGSO_STAFF_MFA_REQUIRED = env_bool("CONGSO_STAFF_MFA_REQUIRED", True)
CONGSO_STAFF_SESSION_AGE = int(os.environ.get("CONGSO_STAFF_SESSION_AGE", str(60 * 60 * 2)))

# Sign-in through the national identity provider (VNeID) as an OpenID Connect provider: off unless the
# server URL is set. CONGSO_OIDC_ACR_LEVELS maps the ID token's acr values to identity levels 1 and 2,
# as "acr=level" pairs separated by commas.
CONGSO_OIDC_SERVER_URL = os.environ.get("CONGSO_OIDC_SERVER_URL") or ""
CONGSO_OIDC_ACR_LEVELS = {
    acr.strip(): int(level)
    for acr, _sep, level in (
        item.partition("=")
        for item in env_list("CONGSO_OIDC_ACR_LEVELS", "vneid-level-1=1,vneid-level-2=2,1=1,2=2")
    )
}
SOCIALACCOUNT_ONLY = False
SOCIALACCOUNT_LOGIN_ON_GET = False  # a POST (with CSRF) starts the round trip
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False  # never take over a local account because an e-mail matches
SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"APPS": [], "OAUTH_PKCE_ENABLED": True}}
if CONGSO_OIDC_SERVER_URL:
    SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"] = [
        {
            "provider_id": "vneid",
            "name": os.environ.get("CONGSO_OIDC_NAME", "VNeID"),
            "client_id": os.environ.get("CONGSO_OIDC_CLIENT_ID", ""),
            "secret": os.environ.get("CONGSO_OIDC_SECRET", ""),
            "settings": {
                "server_url": CONGSO_OIDC_SERVER_URL,
                "token_auth_method": os.environ.get("CONGSO_OIDC_TOKEN_AUTH_METHOD", "client_secret_post"),
                "auth_params": {"acr_values": os.environ.get("CONGSO_OIDC_ACR_VALUES", "")}
                if os.environ.get("CONGSO_OIDC_ACR_VALUES")
                else {},
            },
        }
    ]

# --- Internationalisation -------------------------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
# locale/ holds congso's own catalog (makemessages writes there); locale_vendor/ translates libraries
# that ship no Vietnamese, such as django-allauth.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_vendor"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

# --- Static and media files -----------------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("CONGSO_STATIC_ROOT", VAR_DIR / "staticfiles"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("CONGSO_MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# --- Background work (Django Tasks API, database backend) -----------------------------------------------
TASKS = {
    "default": {
        "BACKEND": os.environ.get("CONGSO_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# --- E-mail ---------------------------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = os.environ.get("CONGSO_DEFAULT_FROM_EMAIL", "congso <no-reply@congso.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if os.environ.get("CONGSO_EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["CONGSO_EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("CONGSO_EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("CONGSO_EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("CONGSO_EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("CONGSO_EMAIL_USE_TLS", True)
    # A hung mail server must not hold a message in "sending" until the sweep hands it to another worker.
    EMAIL_TIMEOUT = int(os.environ.get("CONGSO_EMAIL_TIMEOUT", "30"))
else:
    # Development: every message becomes a file in var/mail that you can open.
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"

# --- Notifications --------------------------------------------------------------------------------------
# Dotted path of the SMS gateway (a congso.notifications.channels.SmsProvider). The default sends nothing:
# it writes each SMS to var/sms/ and logs the masked number.
CONGSO_SMS_BACKEND = os.environ.get(
    "CONGSO_SMS_BACKEND", "congso.notifications.channels.DevelopmentSmsProvider"
)

# --- National public-service portal (DVCQG) sync: off unless the URL is set ------------------------------
CONGSO_DVCQG_URL = os.environ.get("CONGSO_DVCQG_URL") or ""
CONGSO_DVCQG_TOKEN = os.environ.get("CONGSO_DVCQG_TOKEN") or ""  # a bearer token, or "user:password"
CONGSO_DVCQG_TIMEOUT = int(os.environ.get("CONGSO_DVCQG_TIMEOUT", "30"))

# --- Security -------------------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 8  # citizens; officials get CONGSO_STAFF_SESSION_AGE
CSRF_COOKIE_HTTPONLY = True
# Browser features no page uses are switched off (congso.security.middleware).
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(self), display-capture=(), geolocation=(self), gyroscope=(), "
    "magnetometer=(), microphone=(), midi=(), payment=(), usb=(), interest-cohort=()"
)
SECURE_SSL_REDIRECT = env_bool("CONGSO_SECURE_SSL_REDIRECT", not DEBUG and env_bool("CONGSO_HTTPS"))
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("CONGSO_HTTPS")
if env_bool("CONGSO_HTTPS"):
    # __Host- cookies: only over HTTPS, for this exact host, never set by a subdomain.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
SECURE_HSTS_SECONDS = int(
    os.environ.get("CONGSO_HSTS_SECONDS", "31536000" if env_bool("CONGSO_HTTPS") else "0")
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
if env_bool("CONGSO_BEHIND_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Strict CSP: no inline script or style anywhere; every asset is served from this origin.
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

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "{asctime} {levelname} {name}: {message}", "style": "{"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("CONGSO_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "weasyprint.progress": {"level": "WARNING"}},
}
