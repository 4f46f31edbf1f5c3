"""gunicorn.conf.py keeps a worker's long-lived objects out of the garbage collector's full
collections (gc.freeze): once the worker has loaded the app, and once more after its first
requests (lazy caches). Run in a child Python, so the test process's collector is untouched."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # each test starts Python in a subprocess

ROOT = Path(__file__).resolve().parents[2]

HOOKS = """
import gc, runpy, types
conf = runpy.run_path("gunicorn.conf.py")
worker = types.SimpleNamespace(nr=0)
conf["post_worker_init"](worker)
after_init = gc.get_freeze_count()
kept = [[index] for index in range(5000)]  # what the first requests leave cached
for worker.nr in range(1, 400):
    conf["post_request"](worker, None, {}, None)
print(after_init, gc.get_freeze_count() - after_init)
"""


def _freeze_counts(**env):
    result = subprocess.run(
        [sys.executable, "-c", HOOKS], cwd=ROOT, env={**os.environ, **env},
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return tuple(int(number) for number in result.stdout.split())


def test_a_worker_freezes_what_it_loaded_and_what_its_first_requests_cached_once():
    at_init, later = _freeze_counts(GC_FREEZE_AFTER="200")
    assert at_init > 1000  # the modules, settings and config loaded so far
    assert later >= 5000  # the objects made after the first freeze, frozen at request 200


def test_freezing_can_be_turned_off():
    assert _freeze_counts(GC_FREEZE_AFTER="0") == (0, 0)
