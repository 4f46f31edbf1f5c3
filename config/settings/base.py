"""Settings shared by every environment, read from environment variables.

With nothing set, Greenlight runs on an embedded default: SQLite in var/, Celery tasks
run in-process and emails are printed to the console.
"""

import datetime
from pathlib import Path

import environ
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"
VAR_DIR.mkdir(exist_ok=True)  # the embedded SQLite database and outgoing email files live here

env = environ.Env()
if (BASE_DIR / ".env").exists():  # optional local overrides; real environment variables win
    environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("SECRET_KEY", default="insecure-local-development-key-change-me")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# seed_demo creates a superuser whose password is published in the README: allowed in
# development and tests, refused by the production settings unless a demo stack opts in.
DEMO_SEED_ALLOWED = env.bool("DEMO_SEED_ALLOWED", default=True)

# Absolute base for links in emails (one-click approval links, invites).
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",  # OpClass in index expressions (the trigram index on names)
    "django_fsm",
    "anymail",
    "axes",
    "csp",
    "accounts",
    "jobs",
    "approvals",
    "offers",
    "referrals",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "config.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.pagecache.PageCacheMiddleware",
    "accounts.middleware.LocalTimeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "axes.middleware.AxesMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "config.middleware.FriendlyMethodNotAllowedMiddleware",
]

# Pages load only this site's own files: no inline script or style, no framing, forms post here.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# Features no Greenlight page uses are switched off for the page and anything it embeds.
PERMISSIONS_POLICY = {
    feature: "()" for feature in (
        "accelerometer", "camera", "display-capture", "geolocation", "gyroscope", "magnetometer",
        "microphone", "midi", "payment", "usb",
    )
}

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
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.navigation",
            ],
        },
    },
]


def with_prepared_statements(database: dict) -> dict:
    """On PostgreSQL, bind parameters on the server (psycopg 3), so that a statement a kept
    connection runs more than psycopg's prepare_threshold times (5) is prepared: PostgreSQL then
    parses and plans it once per connection instead of on every request (a third of a busy page's
    SQL time). DB_PREPARED_STATEMENTS=false (a pooler in transaction mode, which cannot keep
    a connection's prepared statements) goes back to binding on the client."""
    postgresql = database["ENGINE"] == "django.db.backends.postgresql"
    if postgresql and env.bool("DB_PREPARED_STATEMENTS", default=True):
        # Django's backend, batching bulk writes as server-side binding needs (config.postgresql).
        database["ENGINE"] = "config.postgresql"
        options = database.setdefault("OPTIONS", {})
        options.setdefault("server_side_binding", True)
        # Django turns psycopg's preparing off unless asked (for poolers).
        options.setdefault("prepare_threshold", 5)
    return database


DATABASES = {
    "default": with_prepared_statements(
        env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")
    ),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
# Check a kept connection before reusing it, so a database restart or a terminated backend
# costs one reconnect instead of an error page or a failed task (web and Celery workers alike).
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool("CONN_HEALTH_CHECKS", default=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Each reader's busy pages, kept rendered until something they show changes (accounts.pagecache):
# in each worker's memory, keyed by what the database says changed. 0 turns it off.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=30)
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "pages",
        "OPTIONS": {"MAX_ENTRIES": env.int("PAGE_CACHE_MAX_ENTRIES", default=2000)},
    },
}

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
# Sign-in throttling (accounts/throttling.py says who is locked out and why).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # ModelBackend whose session lookup loads the membership, profile and unread count with the
    # user (accounts/backends.py). Sessions made under django.contrib.auth.backends.ModelBackend
    # before it was named here sign in again once.
    "accounts.backends.UserBackend",
]
AXES_HANDLER = "accounts.throttling.SignInThrottle"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
SIGN_IN_FAILURES_PER_ADDRESS = env.int("SIGN_IN_FAILURES_PER_ADDRESS", default=20)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "accounts.throttling.sign_in_email"
AXES_LOCKOUT_CALLABLE = "accounts.throttling.lockout_response"
# Behind reverse proxies REMOTE_ADDR is the proxy's, shared by every client: say how many proxies
# append to X-Forwarded-For, or one lockout would lock everyone out.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "accounts.throttling.client_address"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# Email: every message goes out through a Celery task; the backend decides where it lands.
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", default=str(VAR_DIR / "emails"))
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Greenlight <noreply@greenlight.test>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# A real provider: EMAIL_BACKEND=anymail.backends.<provider>.EmailBackend plus its keys,
# e.g. ANYMAIL_POSTMARK_SERVER_TOKEN or ANYMAIL_MAILGUN_API_KEY.
ANYMAIL = {
    key.removeprefix("ANYMAIL_"): value
    for key, value in env.ENVIRON.items()
    if key.startswith("ANYMAIL_") and value
}

# Celery: Redis broker when configured, otherwise tasks run in-process.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=None)
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not CELERY_BROKER_URL)
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"

# /healthz answers 503 once an undelivered notification email is older than this (seconds):
# the relay or the email provider is stuck.
NOTIFICATION_BACKLOG_MAX_AGE = env.int("NOTIFICATION_BACKLOG_MAX_AGE", default=900)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}
