"""blonet settings: every value comes from a `BLONET_*` environment variable or a secret file.

Embedded default: SQLite under `var/`, one node, DEBUG off. Production: set
`BLONET_DATABASE_URL=postgres://...`, `BLONET_SECRET_KEY_FILE`, `BLONET_ALLOWED_HOSTS`.
"""

from __future__ import annotations

import secrets
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

env = environ.Env()

SRC_DIR = Path(__file__).resolve().parent.parent  # src/blonet
BASE_DIR = Path(env.str("BLONET_BASE_DIR", default=str(SRC_DIR.parent.parent))).resolve()
VAR_DIR = Path(env.str("BLONET_VAR_DIR", default=str(BASE_DIR / "var")))


def _secret(name: str) -> str | None:
    """A secret from the file named by BLONET_<NAME>_FILE (preferred) or from BLONET_<NAME>."""
    path = env.str(f"BLONET_{name}_FILE", default="")
    if path:
        return Path(path).read_text(encoding="utf-8").strip()
    value: str = env.str(f"BLONET_{name}", default="")
    return value or None


def _local_secret_key() -> str:
    """A per-checkout key kept under var/ (never in the repository) for the embedded default."""
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.parent.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(64), encoding="utf-8")
        key_file.chmod(0o600)
    return key_file.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret("SECRET_KEY") or _local_secret_key()
DEBUG = env.bool("BLONET_DEBUG", default=False)
ALLOWED_HOSTS = env.list("BLONET_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("BLONET_CSRF_TRUSTED_ORIGINS", default=[])

# The node this installation is: a country code (KZ, KG, TJ, TM, UZ) or REG for the regional centre.
BLONET_NODE = env.str("BLONET_NODE", default="UZ")
BLONET_REQUIRE_MFA = env.bool("BLONET_REQUIRE_MFA", default=True)
# Federation (issue 6): off on the embedded default; see docs/architecture/federation.md.
BLONET_FEDERATION = env.bool("BLONET_FEDERATION", default=False)
BLONET_NATS_URL = env.str("BLONET_NATS_URL", default="nats://127.0.0.1:4222")
BLONET_FEDERATION_RESEND_SECONDS = env.int("BLONET_FEDERATION_RESEND_SECONDS", default=120)
BLONET_FEDERATION_DIGEST_SECONDS = env.int("BLONET_FEDERATION_DIGEST_SECONDS", default=300)
BLONET_FEDERATION_KEY_DIR = env.str(
    "BLONET_FEDERATION_KEY_DIR", default=str(VAR_DIR / "federation")
)
BLONET_DIRECTORY_FILE = env.str(
    "BLONET_DIRECTORY_FILE", default=str(SRC_DIR / "directory" / "data" / "directory.yaml")
)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "axes",
    "simple_history",
    "blonet.core",
    "blonet.audit",
    "blonet.accounts",
    "blonet.directory",
    "blonet.federation",
    "blonet.records",
    "blonet.exchange",
    "blonet.screening",
    "blonet.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "blonet.core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "blonet.core.middleware.SlidingSessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "blonet.accounts.middleware.RequireMfaMiddleware",
    "blonet.accounts.middleware.PostingTimeZoneMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "blonet.urls"
WSGI_APPLICATION = "blonet.wsgi.application"
ASGI_APPLICATION = "blonet.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SRC_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "blonet.core.context_processors.blonet",
            ],
        },
    },
]

DATABASES = {
    "default": env.db_url("BLONET_DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'blonet.sqlite3'}")
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("BLONET_DB_CONN_MAX_AGE", default=60)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "account_login"

# django-allauth: username login, no self sign-up (node administrators create accounts).
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "password1*"]
ACCOUNT_ADAPTER = "blonet.accounts.adapter.AccountAdapter"
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_RATE_LIMITS = False  # axes does the lockout; allauth's cache limits would double count
ACCOUNT_SESSION_REMEMBER = False
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "blonet"

# django-axes: lock a username+address pair after 5 failures for 30 minutes.
AXES_FAILURE_LIMIT = env.int("BLONET_LOCKOUT_FAILURES", default=5)
AXES_COOLOFF_TIME = 0.5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "account/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_USERNAME_FORM_FIELD = "username"  # allauth passes the login as `username`

# Sessions end when idle: `core.middleware.SlidingSessionMiddleware` saves the session (and so
# moves its expiry) when the expiry would move by more than BLONET_SESSION_REFRESH_SECONDS, not
# on every request.
SESSION_COOKIE_AGE = env.int("BLONET_SESSION_IDLE_SECONDS", default=30 * 60)
BLONET_SESSION_REFRESH_SECONDS = 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

SECURE_COOKIES = env.bool("BLONET_SECURE_COOKIES", default=True)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
LANGUAGE_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_SSL_REDIRECT = env.bool("BLONET_SSL_REDIRECT", default=False)
SECURE_HSTS_SECONDS = env.int("BLONET_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
if env.bool("BLONET_BEHIND_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "blonet.audit.views.csrf_failure"

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("ru", _("Russian")),
    ("uz", _("Uzbek")),
    ("kk", _("Kazakh")),
    ("ky", _("Kyrgyz")),
    ("tg", _("Tajik")),
    ("tk", _("Turkmen")),
]
LOCALE_PATHS = [SRC_DIR / "locale"]
TIME_ZONE = env.str("BLONET_TIME_ZONE", default="Asia/Tashkent")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("BLONET_STATIC_ROOT", default=str(VAR_DIR / "static")))
NODE_MODULES = Path(env.str("BLONET_NODE_MODULES", default=str(BASE_DIR / "node_modules")))
# Third-party front-end code comes from npm (package.json, exact pins), never from the repository.
STATICFILES_DIRS = [
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/leaflet", NODE_MODULES / "leaflet" / "dist"),
    ("vendor/topojson-client", NODE_MODULES / "topojson-client" / "dist"),
    ("vendor/world-atlas", NODE_MODULES / "world-atlas"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env.str(
            "BLONET_STATICFILES_STORAGE",
            default="whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}
WHITENOISE_MAX_AGE = 3600
MEDIA_ROOT = VAR_DIR / "media"
# Attachments to records: photos and documents, checked by their content, not their name.
BLONET_MAX_PHOTO_BYTES = env.int("BLONET_MAX_PHOTO_BYTES", default=10 * 2**20)
BLONET_MAX_DOCUMENT_BYTES = env.int("BLONET_MAX_DOCUMENT_BYTES", default=20 * 2**20)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 2**20
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 2**20

EMAIL_BACKEND = env.str(
    "BLONET_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = env.str("BLONET_FROM_EMAIL", default="blonet@localhost")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "blonet.core.api.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "blonet.core.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "blonet API",
    "DESCRIPTION": "The directory, records, exchange and screening of the blonet network.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("BLONET_LOG_LEVEL", default="INFO")},
    "loggers": {
        # Axes logs usernames and addresses at INFO: keep personal data out of the logs.
        "axes": {"level": "WARNING"},
    },
}
