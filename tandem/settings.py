"""Tandem's one settings module: everything that varies between machines comes from the
environment (see .env.example for each variable and its default)."""

import re
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from tandem.core.currencies import CURRENCIES
from tandem.core.env import (
    CACHE_BACKENDS,
    env_bool,
    env_choice,
    env_dotted_path,
    env_int,
    env_json_object,
    env_list,
    env_str,
    load_dotenv,
    parse_cache_url,
    persistent_secret_key,
)

BASE_DIR = Path(__file__).resolve().parent.parent
load_dotenv(BASE_DIR / ".env")

DEBUG = env_bool("DEBUG", False)
(BASE_DIR / "var").mkdir(exist_ok=True)
# Unset, a random key is made once and kept in var/ (one machine); several app servers must
# share one key, so they set SECRET_KEY.
SECRET_KEY = env_str("SECRET_KEY") or persistent_secret_key(BASE_DIR / "var" / "secret-key")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

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
    "django_filters",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "tandem.core",
    "tandem.people",
    "tandem.notifications",
    "tandem.crm",
    "tandem.catalog",
    "tandem.pipeline",
    "tandem.closeplans",
    "tandem.estimates",
    "tandem.api",
    "tandem.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "tandem.core.middleware.HtmxAwareLoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "tandem.urls"
WSGI_APPLICATION = "tandem.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "tandem" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tandem.core.context_processors.today",
                "tandem.core.context_processors.deals_url",
                "tandem.core.context_processors.navigation",
                "tandem.notifications.context_processors.unread_notifications",
            ],
        },
    },
]


def _database(url: str) -> dict:
    database = dj_database_url.parse(
        url, conn_max_age=env_int("CONN_MAX_AGE", 60), conn_health_checks=True
    )
    if database["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets the web server and the task worker read while the other writes.
        database["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    return database


DATABASES = {
    "default": _database(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'tandem.sqlite3'}")
    )
}
# Read only by code that asks for it (tandem.core.db_router.reporting_db); tests read the
# default database in its place.
if replica_url := env_str("DATABASE_URL_REPLICA").strip():
    DATABASES["replica"] = {**_database(replica_url), "TEST": {"MIRROR": "default"}}
    DATABASE_ROUTERS = ["tandem.core.db_router.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "people.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "tandem" / "static"]
# Uploaded files (estimate request attachments). Several app servers need one shared
# MEDIA_ROOT (a network disk), or a STORAGE_BACKEND with its STORAGE_OPTIONS.
MEDIA_ROOT = BASE_DIR / (env_str("MEDIA_ROOT").strip() or "var/media")
STORAGES = {
    "default": {
        "BACKEND": env_dotted_path(
            "STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage"
        ),
        "OPTIONS": env_json_object("STORAGE_OPTIONS"),
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

CACHES = {"default": parse_cache_url(env_str("CACHE_URL").strip() or "locmem://")}
SESSION_ENGINE = "django.contrib.sessions.backends." + env_choice(
    "SESSION_ENGINE", ("db", "cache", "cached_db"), "db"
)
if SESSION_ENGINE.endswith(".cache") and CACHES["default"]["BACKEND"] in (
    CACHE_BACKENDS["locmem"],
    CACHE_BACKENDS["dummy"],
):
    # Sessions kept in one process's memory (or nowhere) sign people out on every restart
    # and whenever another app server answers.
    raise ImproperlyConfigured(
        "SESSION_ENGINE=cache needs a shared cache: set CACHE_URL to db://TABLE or "
        "redis://HOST:PORT/DB, or use SESSION_ENGINE=cached_db"
    )

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Tandem <tandem@localhost>")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG and env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "tandem.core.api.pagination.Pagination",
    # JSON only: the browsable API's filter forms would list every account in a <select>.
    # People browse the API through /api/docs/.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Tandem API",
    "DESCRIPTION": "Accounts, contacts, stakeholders, activities, stages, deals, close plans, "
    "checkups, notifications, the catalog and rate cards, estimate requests, estimates and "
    "past projects.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Choice sets shared by several fields, or whose field name another set uses too.
    "ENUM_NAME_OVERRIDES": {
        "StepStatusEnum": "tandem.closeplans.models.StepStatus",
        "UpdateViaEnum": "tandem.closeplans.models.UpdateVia",
    },
}

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

FILTERS_EMPTY_CHOICE_LABEL = "Any"
# Reverting a row from its history would skip the services (and a deal's close-date record).
SIMPLE_HISTORY_REVERT_DISABLED = True

TANDEM_CURRENCY = env_str("TANDEM_CURRENCY", "USD").strip().upper()
if TANDEM_CURRENCY not in CURRENCIES:
    raise ImproperlyConfigured(
        f"TANDEM_CURRENCY must be an ISO 4217 code such as USD or EUR, got {TANDEM_CURRENCY!r}"
    )
# A new or edited deal above this many times the largest deal so far in its currency (or
# above TANDEM_AMOUNT_CONFIRM_ABOVE while there is none) must be confirmed: it is usually a
# slip of the keyboard (extra zeros).
TANDEM_AMOUNT_CONFIRM_FACTOR = env_int("TANDEM_AMOUNT_CONFIRM_FACTOR", 10)
TANDEM_AMOUNT_CONFIRM_ABOVE = env_int("TANDEM_AMOUNT_CONFIRM_ABOVE", 10_000_000)
if TANDEM_AMOUNT_CONFIRM_FACTOR < 1 or TANDEM_AMOUNT_CONFIRM_ABOVE < 1:
    raise ImproperlyConfigured(
        "TANDEM_AMOUNT_CONFIRM_FACTOR and TANDEM_AMOUNT_CONFIRM_ABOVE must be 1 or more"
    )
# Close plans skip weekends, these public holidays (ISO country, optional region) and the
# company's own days off.
TANDEM_HOLIDAY_COUNTRY = env_str("TANDEM_HOLIDAY_COUNTRY", "US").upper()
TANDEM_HOLIDAY_SUBDIVISION = env_str("TANDEM_HOLIDAY_SUBDIVISION").upper()
# Checkups: steps due within this many business days that nobody updated for this many days.
TANDEM_CHECKUP_DUE_WITHIN_DAYS = env_int("TANDEM_CHECKUP_DUE_WITHIN_DAYS", 3)
TANDEM_CHECKUP_QUIET_DAYS = env_int("TANDEM_CHECKUP_QUIET_DAYS", 3)
# The hour (company time) `tandem scheduler` starts the morning jobs.
TANDEM_MORNING_HOUR = env_int("TANDEM_MORNING_HOUR", 7)
# Where people reach Tandem (e.g. https://tandem.example.com): emails link to pages there.
TANDEM_SITE_URL = env_str("TANDEM_SITE_URL").rstrip("/")
# How long a customer link to a close plan works, unless revoked first.
TANDEM_SHARE_LINK_DAYS = env_int("TANDEM_SHARE_LINK_DAYS", 30)
# Days handled domain events stay in the outbox (the record later consumers can read back).
TANDEM_OUTBOX_KEEP_DAYS = env_int("TANDEM_OUTBOX_KEEP_DAYS", 90)
if TANDEM_OUTBOX_KEEP_DAYS < 1:
    raise ImproperlyConfigured(
        f"TANDEM_OUTBOX_KEEP_DAYS must be 1 or more, got {TANDEM_OUTBOX_KEEP_DAYS}"
    )
# Show catalog unit costs to sellers too (managers, finance and admins always see them).
TANDEM_SELLERS_SEE_COSTS = env_bool("TANDEM_SELLERS_SEE_COSTS", False)
# Estimates whose margin is below this percent of the price are flagged while they are built.
TANDEM_TARGET_MARGIN_PCT = env_int("TANDEM_TARGET_MARGIN_PCT", 30)
# Largest file an estimate request takes, in MB.
TANDEM_ATTACHMENT_MAX_MB = env_int("TANDEM_ATTACHMENT_MAX_MB", 25)
# Who the customer's proposals come from: the letterhead, contact line and brand colour.
TANDEM_COMPANY_NAME = env_str("TANDEM_COMPANY_NAME", "Tandem").strip() or "Tandem"
TANDEM_COMPANY_ADDRESS = env_str("TANDEM_COMPANY_ADDRESS").strip()
TANDEM_COMPANY_EMAIL = env_str("TANDEM_COMPANY_EMAIL").strip()
TANDEM_COMPANY_PHONE = env_str("TANDEM_COMPANY_PHONE").strip()
TANDEM_BRAND_COLOUR = env_str("TANDEM_BRAND_COLOUR").strip() or "#1f3a5f"
# It goes into the proposal's CSS, so only a plain hex colour may pass.
if not re.fullmatch(r"#(?:[0-9a-fA-F]{3}){1,2}", TANDEM_BRAND_COLOUR):
    raise ImproperlyConfigured(
        f"TANDEM_BRAND_COLOUR must be a hex colour such as #1f3a5f, got {TANDEM_BRAND_COLOUR!r}"
    )
# A PNG or SVG file (relative to the project folder); a missing file leaves the logo out.
TANDEM_COMPANY_LOGO = env_str("TANDEM_COMPANY_LOGO").strip()
# The logo the customer's shared plan shows, as a web address the browser loads: a path on
# this site (/static/…) or an https:// address. Blank: the company's name alone.
TANDEM_COMPANY_LOGO_URL = env_str("TANDEM_COMPANY_LOGO_URL").strip()
# It goes into an <img src>, so only a plain path or http(s) address without quotes may pass.
if TANDEM_COMPANY_LOGO_URL and not re.fullmatch(
    r"(?:https?://[^\s\"'<>]+|/[^/\s\"'<>][^\s\"'<>]*)", TANDEM_COMPANY_LOGO_URL
):
    raise ImproperlyConfigured(
        "TANDEM_COMPANY_LOGO_URL must be a path on this site (/static/logo.svg) or an "
        f"http(s) address, got {TANDEM_COMPANY_LOGO_URL!r}"
    )
# Days a proposal's prices hold from the day it is issued.
TANDEM_PROPOSAL_VALID_DAYS = env_int("TANDEM_PROPOSAL_VALID_DAYS", 30)
if TANDEM_PROPOSAL_VALID_DAYS < 1:
    raise ImproperlyConfigured(
        f"TANDEM_PROPOSAL_VALID_DAYS must be 1 or more, got {TANDEM_PROPOSAL_VALID_DAYS}"
    )
# The terms printed under a proposal's totals; blank takes this text.
TANDEM_PROPOSAL_TERMS = env_str("TANDEM_PROPOSAL_TERMS").strip() or (
    "The total is our price for the scope above, with labour at the hours we expect. The "
    "budget range shows where the final price lands if the work takes fewer or more hours. "
    "Prices hold until the date shown above; equipment is ordered once you confirm."
)
# Paper size of the proposal PDF: letter or a4.
TANDEM_PROPOSAL_PAPER = env_str("TANDEM_PROPOSAL_PAPER").strip().lower() or "letter"
if TANDEM_PROPOSAL_PAPER not in ("letter", "a4"):
    raise ImproperlyConfigured(
        f"TANDEM_PROPOSAL_PAPER must be letter or a4, got {TANDEM_PROPOSAL_PAPER!r}"
    )
# Labour lines on proposals show whole hours and prices in whole units (customers buy a crew,
# not 37.25 hours at $2,310.47); true shows the hours as estimated and prices to the cent.
TANDEM_PROPOSAL_LABOUR_CENTS = env_bool("TANDEM_PROPOSAL_LABOUR_CENTS", False)
# An estimate of a few hundred lines posts tens of thousands of fields in one save.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 50_000
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "INFO" if DEBUG else "WARNING"},
}
