"""The embedded default: no Postgres, no Redis; SQLite in a file, tasks in-process."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # each test starts manage.py in a subprocess

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=240,
    )


def test_embedded_default_migrates_seeds_and_serves_sign_in(tmp_path):
    env = {
        key: value for key, value in os.environ.items()
        if not key.startswith(("DATABASE_URL", "CELERY_", "DJANGO_SETTINGS_MODULE", "EMAIL_"))
    }
    # The same default as var/db.sqlite3, pointed at a temporary file.
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    for args in (["migrate", "--noinput"], ["seed_demo"]):
        result = _manage(*args, env=env)
        assert result.returncode == 0, result.stderr
    check = _manage(
        "shell", "--no-imports", "-c",
        "from django.conf import settings; from django.test import Client; "
        "assert settings.CELERY_TASK_ALWAYS_EAGER; "
        "assert 'console' in settings.EMAIL_BACKEND; "
        "assert settings.DATABASES['default']['ENGINE'].endswith('sqlite3'); "
        "c = Client(HTTP_HOST='localhost'); r = c.get('/accounts/login/'); "
        "print(r.status_code, b'Sign in to Greenlight' in r.content); "
        "assert c.post('/accounts/login/', {'username': 'manager@acme.test', "
        "'password': 'greenlight-demo'}).status_code == 302; "
        "print(c.get('/', follow=True).status_code)",
        env=env,
    )
    assert check.returncode == 0, check.stderr
    assert check.stdout.split() == ["200", "True", "200"]


def test_default_database_is_sqlite_in_var():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "DJANGO_SET"))}
    result = _manage(
        "shell", "--no-imports", "-c",
        "from django.conf import settings; print(settings.DATABASES['default']['NAME'])",
        env=env,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(ROOT / "var" / "db.sqlite3")


def test_production_settings_pass_check_deploy():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DEBUG"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY="x" * 20 + "a-long-random-production-secret-key-0123456789",
        ALLOWED_HOSTS="greenlight.example.com",
        DATABASE_URL="postgres://root@127.0.0.1:5432/greenlight",
    )
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
