"""Settings shared by every deployment.

Two environment variables switch a deployment from the single-machine default to the scale
path: ``DATABASE_URL`` (PostgreSQL) and ``REDIS_URL`` (cache, channel layer). Secrets come only
from the environment or from key files outside the database.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from pinqiao.settings.env import env, env_bool

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env("PINQIAO_VAR_DIR", str(BASE_DIR / "var")))

SECRET_KEY = env("DJANGO_SECRET_KEY", "")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = [h for h in env("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.admin",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "channels",
    "pinqiao.core",
    "pinqiao.accounts",
    "pinqiao.disclosure",
    "pinqiao.notifications",
    "pinqiao.moderation",
    "pinqiao.jobs",
    "pinqiao.orgs",
    "pinqiao.resumes",
    "pinqiao.privacy",
    "pinqiao.applications",
    "pinqiao.interviews",
    "pinqiao.search",
    "pinqiao.recommendations",
    "pinqiao.ops",
    "pinqiao.rights",
    "pinqiao.tickets",
    "pinqiao.risk",
    "pinqiao.messaging",
    "pinqiao.analytics",
    "pinqiao.oversight",
    "pinqiao.insights",
]

MIDDLEWARE = [
    "pinqiao.core.pagecache.PublicCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "pinqiao.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "pinqiao.accounts.middleware.IdleTimeoutMiddleware",
    "pinqiao.disclosure.middleware.LegalAcceptanceMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "pinqiao.core.middleware.ServiceErrorPageMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "pinqiao.urls"
ASGI_APPLICATION = "pinqiao.asgi.application"
WSGI_APPLICATION = "pinqiao.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "pinqiao" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "pinqiao.disclosure.context_processors.operator",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
SQLITE_PATH = VAR_DIR / "pinqiao.sqlite3"
DATABASE_URL = env("DATABASE_URL", "")


def sqlite_database(name: str | Path) -> dict:
    """SQLite tuned for a web process and a task worker writing at the same time: WAL, every
    transaction ``BEGIN IMMEDIATE``, a 20 s busy timeout, writers of one process queued on a
    lock (``pinqiao.core.sqlite``)."""
    return {
        "ENGINE": "pinqiao.core.sqlite",
        "NAME": str(name),
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;"
                "PRAGMA busy_timeout=20000;PRAGMA foreign_keys=ON;"
            ),
        },
    }


# Persistent connections: a web process runs requests on its fixed threads
# (``pinqiao.core.serving.ConcurrencyLimit``: ``WEB_ACTIVE_REQUESTS`` of them), each keeping its
# connection between requests, checked before reuse; the worker, the scheduler and runserver
# (which closes its connections after each request) keep one each. Left to asgiref, every ASGI
# request ran in a thread of its own, and each thread kept its connection open until PostgreSQL
# ran out of them (bench/writers.py); opening one per request cost more than the page
# (docs/benchmarks.md, "Web tier", fourth pass).
CONN_MAX_AGE = int(env("PINQIAO_CONN_MAX_AGE", "600"))
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=CONN_MAX_AGE,
                                                  conn_health_checks=True)}
else:
    DATABASES = {"default": {**sqlite_database(SQLITE_PATH), "CONN_MAX_AGE": CONN_MAX_AGE,
                             "CONN_HEALTH_CHECKS": True}}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, channel layer, tasks ------------------------------------------------------------
REDIS_URL = env("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
    CHANNEL_LAYERS = {
        "default": {
            # Redis pub/sub: a group send is one PUBLISH and Redis fans it out to the processes
            # holding the group's sockets (one subscription connection per process). The core
            # layer (a Lua script per group send, one blocking pop per socket) cost 4.4 ms of
            # event-loop CPU per chat message over two processes, this one 1.9
            # (docs/benchmarks.md "Chat delivery"). Pushes are not kept: one missed during a
            # Redis reconnect is fetched by the client's "after seq N" sync (every message is
            # written to the database before it is pushed).
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [{"address": REDIS_URL}]},
        }
    }
else:
    # Chat keeps presence and rate-limit counters per user in the cache: the default bound of
    # 300 entries culled a third of them at random once ~300 users were connected, so online
    # users were notified as offline and flood counters restarted (bench/chat.py, 1,000 sockets).
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                          "OPTIONS": {"MAX_ENTRIES": 100_000}}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "pinqiao.messaging.layers.InMemoryChannelLayer"}}
# Rendered pieces of every page's frame (head links, navigation per role, footer:
# ``{% cache … using="chrome" %}`` in base.html) and of posting pages (four parts per posting,
# jobs/detail.html), keyed by what they show, in each process's own memory: they hold hashed
# static names and links, so a deployment with new ones must not read another release's copies
# from a shared cache. 10,000 parts: the last ~2,500 postings shown, about 5 MB (0.5 KB a part).
CACHES["chrome"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                    "OPTIONS": {"MAX_ENTRIES": 10_000}}

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# --- Authentication and sessions (ACC-1, ACC-3) ---------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "pinqiao.accounts.backends.IdentifierBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "pinqiao.accounts.validators.LettersAndDigitsValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"

SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = 60 * 60 * 12
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("PINQIAO_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_IDLE_TIMEOUT = timedelta(minutes=30)
STAFF_SESSION_IDLE_TIMEOUT = timedelta(minutes=15)

# Lockout: the sixth failed log-in for one account within 15 minutes locks it for 15 minutes,
# from any IP address. Axes keys attempts on a blind index, never on the phone number itself.
AXES_FAILURE_LIMIT = 6
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_USE_ATTEMPT_EXPIRATION = True
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_USERNAME_CALLABLE = "pinqiao.accounts.backends.axes_username"
AXES_USERNAME_FORM_FIELD = "identifier"
AXES_SENSITIVE_PARAMETERS = ["password", "identifier", "phone", "email", "code", "otp_token"]
AXES_DISABLE_ACCESS_LOG = True
AXES_RESET_ON_SUCCESS = True
AXES_HTTP_RESPONSE_CODE = 429
AXES_LOCKOUT_CALLABLE = "pinqiao.accounts.views.locked_out"

OTP_TOTP_ISSUER = "聘桥 Pinqiao"

# --- Security headers (SEC-3) ---------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'"
)
CSRF_FAILURE_VIEW = "pinqiao.core.error_pages.csrf_failure"
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# --- Field encryption (PRIV-1) --------------------------------------------------------------
# A base64 32-byte key in PINQIAO_FIELD_KEY, or a key file outside the database.
FIELD_ENCRYPTION_KEY = env("PINQIAO_FIELD_KEY", "")
FIELD_ENCRYPTION_KEY_FILE = Path(env("PINQIAO_FIELD_KEY_FILE", str(VAR_DIR / "keys" / "field.key")))

# --- Audit checkpoints (SEC-1): signed chain heads in an append-only file outside the database.
AUDIT_CHECKPOINT_FILE = Path(env("PINQIAO_AUDIT_CHECKPOINT_FILE",
                                 str(VAR_DIR / "audit" / "checkpoints.jsonl")))

# --- Outside services (local providers keep state in the database) --------------------------
SMS_PROVIDER = "pinqiao.notifications.providers.LocalSmsProvider"
PUSH_PROVIDER = "pinqiao.notifications.providers.LocalPushProvider"
INTERVIEW_ROOM_PROVIDER = "pinqiao.interviews.rooms.LocalRoomProvider"
REALNAME_VERIFIER = "pinqiao.accounts.realname.LocalRealNameVerifier"
VIRTUAL_NUMBER_PROVIDER = "pinqiao.messaging.virtual_numbers.LocalVirtualNumberProvider"
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = VAR_DIR / "mail"
DEFAULT_FROM_EMAIL = "聘桥 <noreply@pinqiao.example>"

SMS_CODE_TTL = timedelta(minutes=5)
SMS_CODES_PER_PHONE_PER_HOUR = 5
SMS_CODE_MAX_ATTEMPTS = 5
NOTIFICATION_MAX_ATTEMPTS = 5

# --- Chat (MSG-1, MSG-2, MSG-4) ----------------------------------------------------------------
CHAT_RECRUITER_NEW_CONVERSATIONS_PER_DAY = 50
CHAT_RATE_LIMIT = (10, 10)  # at most 10 messages per sender per 10 seconds
CHAT_VIRTUAL_NUMBER_DAYS = 7

# --- Internationalisation -------------------------------------------------------------------
# Simplified Chinese whatever the browser asks for (issue 15): the pages are written in Chinese,
# so Django's own messages (password validators, form errors, dates) must be Chinese too.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文"))]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]
DATE_FORMAT = "Y-m-d"
DATETIME_FORMAT = "Y-m-d H:i"
SHORT_DATE_FORMAT = "Y-m-d"

# --- Static and media files -----------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "pinqiao" / "static"]
MEDIA_ROOT = VAR_DIR / "media"
# Content-hashed names and pre-compressed (Brotli, gzip) copies made by collectstatic; served
# from memory with a year's immutable caching by pinqiao.core.serving.StaticFiles (RET-3).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- Serving (RET-3, decision 0014) ----------------------------------------------------------
# Per web process: requests inside Django at once, more waiting, and how long one may wait
# before it gets the 503 page instead. On SQLite a request never waits for a database server,
# so threads beyond a few only share the interpreter lock and stretch every request: with 3,
# 50 writers get p99 1.7 s instead of 2.2 s with 8; on PostgreSQL (a connection and a server
# round trip per query) 8 does better (p99 2.7 s against 3.3 s with 3; docs/benchmarks.md,
# "Concurrent writers").
WEB_ACTIVE_REQUESTS = int(env("PINQIAO_WEB_ACTIVE_REQUESTS", "8" if DATABASE_URL else "3"))
WEB_QUEUED_REQUESTS = int(env("PINQIAO_WEB_QUEUED_REQUESTS", "200"))
WEB_QUEUE_WAIT = float(env("PINQIAO_WEB_QUEUE_WAIT", "5"))
# Visitors' public pages and API answers held per process by content version at most this many
# seconds (0: off), and the age of the health check's answer (pinqiao.core.pagecache).
PUBLIC_CACHE_SECONDS = float(env("PINQIAO_PUBLIC_CACHE_SECONDS", "10"))
HEALTH_MAX_AGE = float(env("PINQIAO_HEALTH_MAX_AGE", "2"))
# Job search API calls per client (signed-in user, else IP address) per window of seconds.
SEARCH_API_RATE = (int(env("PINQIAO_SEARCH_API_RATE", "120")),
                   int(env("PINQIAO_SEARCH_API_WINDOW", "60")))

# --- Search (SRCH-1): the embedded Tantivy index, rebuilt from the database when missing ------
SEARCH_INDEX_DIR = Path(env("PINQIAO_SEARCH_INDEX_DIR", str(VAR_DIR / "search")))
#: The site's public address, for links in e-mailed notices (job alerts, SRCH-3).
SITE_URL = env("PINQIAO_SITE_URL", "http://localhost:8000").rstrip("/")

# --- Figures (ANA-1, decision 0018): no chart or export cell describes fewer people than this.
PINQIAO_MIN_CELL_SIZE = int(env("PINQIAO_MIN_CELL_SIZE", "5"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("PINQIAO_LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# The lockout is per account "whatever the IP" (ACC-3); adding the IP would let an attacker who
# rotates addresses try more passwords, so axes' suggestion is deliberately declined.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
