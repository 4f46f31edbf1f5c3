"""Tests: the real PostgreSQL (DATABASE_URL overrides), emails caught by anymail's test backend."""

from .base import *  # noqa: F403
from .base import env, with_prepared_statements

DATABASES = {
    "default": with_prepared_statements(
        env.db("DATABASE_URL", default="postgres://root@127.0.0.1:5432/greenlight")
    ),
}
DEBUG = False
SECRET_KEY = "test-secret-key-not-for-production"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "anymail.backends.test.EmailBackend"
SITE_URL = "http://testserver"
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="redis://127.0.0.1:6379/15")
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
