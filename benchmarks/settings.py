"""Benchmark settings: config.settings.test (anymail's test backend, eager Celery) on a database
of their own, greenlight_bench unless DATABASE_URL names another."""

from config.settings.test import *  # noqa: F403
from config.settings.test import ALLOWED_HOSTS, env, with_prepared_statements

DEFAULT_DATABASE_URL = "postgres://root@127.0.0.1:5432/greenlight_bench"

DATABASES = {"default": with_prepared_statements(env.db("DATABASE_URL", default=DEFAULT_DATABASE_URL))}
# Django's test Client asks for "testserver"; the test runner would allow it, the benchmarks run without one.
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver"]
