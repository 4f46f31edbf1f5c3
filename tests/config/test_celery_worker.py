"""A task sent through the real Redis broker is executed by a real Celery worker."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from celery import Celery

pytestmark = pytest.mark.slow  # starts a Celery worker in a subprocess

ROOT = Path(__file__).resolve().parents[2]
BROKER = os.environ.get("CELERY_TEST_BROKER_URL", "redis://127.0.0.1:6379/14")


def test_a_real_worker_runs_a_task_sent_through_redis():
    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "CELERY_BROKER_URL": BROKER, "CELERY_RESULT_BACKEND": BROKER,
           "CELERY_TASK_ALWAYS_EAGER": "false", "DJANGO_SETTINGS_MODULE": "config.settings.local"}
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo",
         "--concurrency=1", "-Q", queue, "--without-gossip", "--without-mingle",
         "--without-heartbeat", "--loglevel=INFO"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        sender = Celery("test-sender", broker=BROKER, backend=BROKER)
        result = sender.send_task("greenlight.ping", queue=queue)
        # Eager tasks run earlier in this process leave Celery thinking it is inside a task.
        assert result.get(timeout=60, disable_sync_subtasks=False) == "pong"
    finally:
        worker.terminate()
        output, _ = worker.communicate(timeout=30)
    assert "greenlight.ping" in output
