"""seed_demo creates a superuser (admin@greenlight.test) whose password is printed in the README:
it refuses to run where demo data is not allowed, which is the default of the production
settings (the docker compose demo stack allows it explicitly)."""

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_seed_demo_refuses_where_demo_data_is_not_allowed(settings):
    settings.DEMO_SEED_ALLOWED = False
    with pytest.raises(CommandError, match="DEMO_SEED_ALLOWED"):
        call_command("seed_demo", stdout=io.StringIO())
    assert not User.objects.filter(email="admin@greenlight.test").exists()


@pytest.mark.slow  # starts manage.py in a subprocess
def test_production_settings_refuse_the_demo_seed_by_default(tmp_path):
    env = {
        key: value for key, value in os.environ.items()
        if not key.startswith(("DATABASE_URL", "CELERY_", "DJANGO_SETTINGS_MODULE", "DEMO_SEED_ALLOWED"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production", SECRET_KEY="x" * 60,
        ALLOWED_HOSTS="greenlight.example.com", DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "seed_demo"], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "DEMO_SEED_ALLOWED" in result.stderr
