"""The WSGI/ASGI entry points are what a server (gunicorn in the Docker image) runs: without an
explicit DJANGO_SETTINGS_MODULE they must load the production settings, never the local ones
(DEBUG on, a secret key that is public in the repository)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # each test starts Python in a subprocess

ROOT = Path(__file__).resolve().parents[2]
PRINT_SETTINGS = "from django.conf import settings; print(settings.SETTINGS_MODULE, settings.DEBUG)"


def _python(code, **extra_env):
    env = {
        key: value for key, value in os.environ.items()
        if key not in ("DJANGO_SETTINGS_MODULE", "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS")
    }
    env.update(extra_env)
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize("module", ["config.wsgi", "config.asgi"])
def test_server_entry_point_defaults_to_production_settings(module):
    result = _python(
        f"import {module}; {PRINT_SETTINGS}", SECRET_KEY="x" * 60, ALLOWED_HOSTS="greenlight.example.com"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["config.settings.production", "False"]


@pytest.mark.parametrize("module", ["config.wsgi", "config.asgi"])
def test_server_entry_point_refuses_to_start_without_a_secret_key(module):
    result = _python(f"import {module}; {PRINT_SETTINGS}", ALLOWED_HOSTS="greenlight.example.com")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
