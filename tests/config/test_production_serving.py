"""What production serves with: kept database connections checked before reuse, the backend
that loads the signed-in user in one query, and gunicorn's workers from gunicorn.conf.py."""

import json
import os
import runpy
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent

PRINT_SETTINGS = (
    "import json, django; django.setup(); from django.conf import settings; "
    "db = settings.DATABASES['default']; "
    "print(json.dumps([db['CONN_MAX_AGE'], db['CONN_HEALTH_CHECKS'], settings.AUTHENTICATION_BACKENDS]))"
)


def _production_settings(**extra) -> list:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DEBUG", "CONN_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY="x" * 20 + "a-long-random-production-secret-key-0123456789",
        ALLOWED_HOSTS="greenlight.example.com",
        DATABASE_URL="postgres://root@127.0.0.1:5432/greenlight",
        **extra,
    )
    result = subprocess.run([sys.executable, "-c", PRINT_SETTINGS], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_keeps_database_connections_and_checks_them_before_reuse():
    conn_max_age, health_checks, backends = _production_settings()
    assert conn_max_age == 60
    assert health_checks is True
    assert backends[-1] == "accounts.backends.UserBackend"
    assert "django.contrib.auth.backends.ModelBackend" not in backends


def test_the_connection_lifetime_can_be_set_from_the_environment():
    assert _production_settings(CONN_MAX_AGE="0")[0] == 0


def test_gunicorn_runs_one_sync_worker_per_cpu_unless_told_otherwise(monkeypatch):
    for name in ("GUNICORN_WORKERS", "GUNICORN_WORKER_CLASS", "GUNICORN_THREADS", "GUNICORN_BIND"):
        monkeypatch.delenv(name, raising=False)
    conf = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert (conf["workers"], conf["worker_class"], conf["bind"]) == (os.cpu_count(), "sync", "0.0.0.0:8000")
    monkeypatch.setenv("GUNICORN_WORKER_CLASS", "gthread")
    monkeypatch.setenv("GUNICORN_THREADS", "4")
    conf = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert (conf["worker_class"], conf["threads"]) == ("gthread", 4)
