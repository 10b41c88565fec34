"""ChannelHub settings: one module, every tunable read from the environment.

The embedded defaults run on a bare machine (SQLite, a file-system Celery broker, no Redis).
With DEBUG off the settings fail closed: a missing SECRET_KEY or ALLOWED_HOSTS stops start-up.
Every variable read here is listed in `.env.example`.
"""

import os
import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from channelhub.api_settings import REST_FRAMEWORK, SPECTACULAR_SETTINGS  # noqa: F401

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("CHANNELHUB_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    """Read a yes/no environment variable ("1", "true", "yes", "on" are true)."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    """Read a comma-separated environment variable."""
    raw = os.environ.get(name, "")
    items = [item.strip() for item in raw.split(",") if item.strip()]
    return items or list(default or [])


DEBUG = env_bool("DJANGO_DEBUG", default=False)
# Commands that only read and write source files (migrations, catalogues): they never serve a
# request nor sign anything, so they may run without the production secrets.
SOURCE_ONLY_COMMANDS = {"makemigrations", "makemessages", "compilemessages"}
SOURCE_ONLY = (
    len(sys.argv) > 1
    and Path(sys.argv[0]).name == "manage.py"
    and sys.argv[1] in SOURCE_ONLY_COMMANDS
)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and not SOURCE_ONLY:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set and DJANGO_DEBUG is off: refusing to start. "
            "Set SECRET_KEY (see .env.example) or DJANGO_DEBUG=1 for local development."
        )
    SECRET_KEY = "insecure-local-development-key-do-not-use-in-production"  # noqa: S105  # nosec B105
# Rotation: put the new key in SECRET_KEY and the old one here until old sessions and
# signed links have expired (see OPERATIONS.md).
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    if not DEBUG and not SOURCE_ONLY:
        raise ImproperlyConfigured(
            "ALLOWED_HOSTS is not set and DJANGO_DEBUG is off: refusing to start. "
            "Set ALLOWED_HOSTS to the comma-separated host names the site answers to."
        )
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
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
    "django.forms",  # its widget templates, found by FORM_RENDERER below
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "django_tables2",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "axes",
    "csp",
    "common",
    "partners",
    "sales",
    "incentives",
    "portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last: turns a lockout flagged during authentication into the lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "channelhub.urls"
WSGI_APPLICATION = "channelhub.wsgi.application"
ASGI_APPLICATION = "channelhub.asgi.application"

# Widgets render through the project's templates, so templates/django/forms/widgets/ can
# override Django's: select_option.html shows "请选择" where Django writes "---------".
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
# django-filter's empty choice of a filter dropdown: "全部" (any), not "---------".
FILTERS_EMPTY_CHOICE_LABEL = _("All")

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
                "common.context_processors.access",
                "common.context_processors.notifications",
                "portal.navigation.menu",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# PostgreSQL in production and in every test run; SQLite only as the bare-machine default.
_database_url = os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}")
# Persistent connections: a process keeps its connection up to DATABASE_CONN_MAX_AGE seconds
# (a new one costs a request ~4 ms and cold caches), checked before reuse after a failure.
# Default 60 on PostgreSQL; 0 (one per request) on SQLite, the bare-machine default that the
# dev server (a thread per request, each of which would keep its own) and `make run` use.
# Celery closes a task's connection once it is older than this (its Django fixup).
DATABASES = {
    "default": dj_database_url.parse(
        _database_url,
        conn_max_age=int(
            os.environ.get(
                "DATABASE_CONN_MAX_AGE", "0" if _database_url.startswith("sqlite") else "60"
            )
        ),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # The worker and the web server share the file: wait for a lock instead of failing.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# SQLite (the bare-machine default only) cannot enforce NULLS NOT DISTINCT; PostgreSQL does.
SILENCED_SYSTEM_CHECKS = ["models.W047"]

# --- Cache: Redis when configured, else per-process memory ----------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes checks every authentication (login page, admin login, API token) first and
# refuses a locked-out username + IP before the password is even looked at.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, reading a session's user, role and permissions in one query.
    "common.auth.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# --- Internationalisation: business dates are Asia/Shanghai ---------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Amounts grouped 72,770,000.00 in Chinese too (channelhub/formats: Django groups none).
FORMAT_MODULE_PATH = ["channelhub.formats"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static files: vendored, served by WhiteNoise (no CDN) ----------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "channelhub@localhost")
# Absolute links in e-mails (partner invitations) start with this.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# --- Notifications: group robots (企业微信 / 钉钉 webhooks) -----------------------------------
# A robot that does not answer within this many seconds has failed this attempt.
ROBOT_WEBHOOK_TIMEOUT = float(os.environ.get("ROBOT_WEBHOOK_TIMEOUT", "5"))
# Attempts in all, and the first retry's wait in seconds (then doubled each time: 10, 20, 40…).
ROBOT_WEBHOOK_ATTEMPTS = int(os.environ.get("ROBOT_WEBHOOK_ATTEMPTS", "5"))
ROBOT_WEBHOOK_BACKOFF = float(os.environ.get("ROBOT_WEBHOOK_BACKOFF", "10"))
# Extra CA certificates (PEM) to trust for robot hosts; empty: the system's CAs only.
ROBOT_WEBHOOK_CA_FILE = os.environ.get("ROBOT_WEBHOOK_CA_FILE", "")
# The hosts each robot kind posts to (a webhook URL elsewhere is refused, so a stored URL
# cannot make the worker call into the company's own network); ROBOT_WEBHOOK_EXTRA_HOSTS
# (comma-separated) adds a relay a deployment runs for both kinds.
ROBOT_WEBHOOK_HOSTS = {"wecom": ("qyapi.weixin.qq.com",), "dingtalk": ("oapi.dingtalk.com",)}
ROBOT_WEBHOOK_EXTRA_HOSTS = tuple(
    host.strip().lower()
    for host in os.environ.get("ROBOT_WEBHOOK_EXTRA_HOSTS", "").split(",")
    if host.strip()
)

# --- Partners: public application form, invitations, contracts ------------------------------
# A human needs at least this long to fill the application form; faster posts are bots.
PARTNER_APPLICATION_MIN_FILL_SECONDS = int(
    os.environ.get("PARTNER_APPLICATION_MIN_FILL_SECONDS", "4")
)
# At most this many applications per client IP per hour.
PARTNER_APPLICATION_RATE_LIMIT = int(os.environ.get("PARTNER_APPLICATION_RATE_LIMIT", "5"))
PARTNER_INVITE_MAX_AGE_DAYS = int(os.environ.get("PARTNER_INVITE_MAX_AGE_DAYS", "7"))
PARTNER_CONTRACT_PDF_MAX_BYTES = int(
    os.environ.get("PARTNER_CONTRACT_PDF_MAX_BYTES", str(10 * 1024 * 1024))
)
# Appeal (申诉) evidence: images or PDFs up to this size each, at most this many per appeal.
APPEAL_EVIDENCE_MAX_BYTES = int(os.environ.get("APPEAL_EVIDENCE_MAX_BYTES", str(5 * 1024 * 1024)))
APPEAL_EVIDENCE_MAX_FILES = int(os.environ.get("APPEAL_EVIDENCE_MAX_FILES", "9"))

# --- Sales: dates before this day and one deal above this many yuan (1亿; per project code in
# DEAL_AMOUNT_CAPS="code:amount,…") are typos, whoever enters them (sales/services/plausibility.py).
EARLIEST_BUSINESS_DATE = os.environ.get("EARLIEST_BUSINESS_DATE", "2000-01-01")
DEAL_AMOUNT_CAP = os.environ.get("DEAL_AMOUNT_CAP", "100000000")
DEAL_AMOUNT_CAPS = dict(item.split(":", 1) for item in env_list("DEAL_AMOUNT_CAPS") if ":" in item)

# --- Security (production shape; `manage.py check --deploy` reads these) --------------------
# DJANGO_SECURE_SSL (default: on unless DEBUG) says the site is served over HTTPS: secure
# cookies, redirect to HTTPS and HSTS. The test servers speak plain http and set it to 0.
SECURE_SSL = env_bool("DJANGO_SECURE_SSL", default=not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", default=SECURE_SSL)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", default=SECURE_SSL)
SESSION_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=SECURE_SSL)
# Load balancers probe /health/ over plain http inside the network.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SECURE_HSTS_SECONDS = int(
    os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600) if SECURE_SSL else "0")
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=SECURE_SSL)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=SECURE_SSL)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY")
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy (django-csp 4): scripts and styles only from our own static files —
# no inline <script>, no on*= handlers, no style="..." (data goes to JS through json_script).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
    },
}

# Login lockout (django-axes): AXES_FAILURE_LIMIT failed attempts for one username from one
# IP address lock that pair out for AXES_COOLOFF_MINUTES; a successful login resets the count.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_MINUTES = int(os.environ.get("AXES_COOLOFF_MINUTES", "30"))
AXES_COOLOFF_TIME = timedelta(minutes=AXES_COOLOFF_MINUTES)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The 30 minutes run from the lockout: attempts during it neither count nor extend it.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_COOLOFF_MESSAGE = format_lazy(
    _(
        "Account locked: too many failed login attempts. Try again in {minutes} minutes "
        "or ask a channel manager to unlock it."
    ),
    minutes=AXES_COOLOFF_MINUTES,
)


# Without a proxy axes uses REMOTE_ADDR alone, so a forged X-Forwarded-For cannot dodge the
# lockout; behind the proxy (whose address REMOTE_ADDR would be) the address it forwarded.
AXES_CLIENT_IP_CALLABLE = "common.ratelimit.client_ip_behind_proxy" if BEHIND_TLS_PROXY else None

# --- REST API: DRF and the OpenAPI schema, in channelhub/api_settings.py (imported above) --

# --- Celery: Redis when configured, else a file-system broker beside SQLite -----------------
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL") or REDIS_URL or "filesystem://"
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_dir = VAR_DIR / "broker"
    for _folder in ("queue", "processed", "control"):
        (_broker_dir / _folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True  # a task killed mid-way is delivered again; tasks are idempotent
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE = {
    # Every minute: the worker records that it is alive (shown on /health/).
    "worker-heartbeat": {"task": "common.tasks.worker_heartbeat", "schedule": 60.0},
    # Every Monday at 01:00: freeze last week's visit ranking.
    "incentives-last-week": {
        "task": "incentives.tasks.compute_last_week",
        "schedule": crontab(minute=0, hour=1, day_of_week="mon"),
    },
    # On the 1st of each month at 02:00: freeze last month's boards, draft its statements.
    "incentives-last-month": {
        "task": "incentives.tasks.compute_last_month",
        "schedule": crontab(minute=0, hour=2, day_of_month="1"),
    },
    # Every day at 07:30 Shanghai time: expire partner contracts past their end date and
    # e-mail the 30-day and 7-day reminders before a contract ends.
    "partner-contract-expiry-reminders": {
        "task": "partners.tasks.contract_expiry_reminders",
        "schedule": crontab(hour=7, minute=30),
    },
    # Every day at 00:10 Shanghai time: registrations whose protection ended before today
    # expire (报备保护到期).
    "sales-registration-expiry": {
        "task": "sales.tasks.registration_expiry",
        "schedule": crontab(hour=0, minute=10),
    },
    # Every day at 09:00 Shanghai time: registrants are told of their customers' protections
    # that end within 3 days (once per registration, in the inbox, e-mail and group robots).
    "sales-protection-ending-notices": {
        "task": "sales.tasks.protection_ending_notices",
        "schedule": crontab(hour=9, minute=0),
    },
    # Every day at 08:00 Shanghai time: yesterday's daily report (日报) of every active project
    # is mailed to the channel managers, once per project and day.
    "sales-daily-report-mail": {
        "task": "sales.tasks.daily_report_mail",
        "schedule": crontab(hour=8, minute=0),
    },
    # Every Sunday at 18:00 Shanghai time (before the office closes): this week's report (周报)
    # is mailed to the channel managers, once per week.
    "incentives-weekly-report-mail": {
        "task": "incentives.tasks.weekly_report_mail",
        "schedule": crontab(minute=0, hour=18, day_of_week="sun"),
    },
    # On the 1st of each month at 09:00 Shanghai time: last month's report (月报) is mailed to
    # the channel managers, once per month.
    "incentives-monthly-report-mail": {
        "task": "incentives.tasks.monthly_report_mail",
        "schedule": crontab(minute=0, hour=9, day_of_month="1"),
    },
}

# --- Logging: module loggers to stderr -------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
