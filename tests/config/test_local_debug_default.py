"""`make run` (config.settings.local) shows the app's own error pages: Django's debug pages,
with their list of URL patterns, only when DEBUG=true is set by hand."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NOT_FOUND = (
    "import django; django.setup(); from django.conf import settings; from django.test import Client; "
    "r = Client(HTTP_HOST='localhost').get('/no-such-page/'); "
    "print(settings.DEBUG, r.status_code, b'URLconf' in r.content, "
    "b\"We can't find that page\" in r.content); "
    "s = Client(HTTP_HOST='localhost').get('/static/css/app.css'); print(s.status_code)"
)


def _run(**extra_env):
    env = {key: value for key, value in os.environ.items() if key not in ("DEBUG", "DJANGO_SETTINGS_MODULE")}
    env.update(DJANGO_SETTINGS_MODULE="config.settings.local", **extra_env)
    result = subprocess.run(
        [sys.executable, "-c", NOT_FOUND], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_local_settings_show_the_apps_404_and_serve_static_files():
    assert _run() == ["False", "404", "False", "True", "200"]


def test_debug_pages_only_when_set_by_hand():
    assert _run(DEBUG="true")[:3] == ["True", "404", "True"]
