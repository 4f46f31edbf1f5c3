"""Every database connection terminated (a failover, a restart, pg_terminate_backend) while a
web server and a worker run with long-lived connections: the next request and the next task
succeed without a restart, because CONN_HEALTH_CHECKS replaces a dead connection before use."""

import json
import time
import urllib.error
import urllib.request

import pytest
from celery import Celery
from django.db import connection

from tests.config.processes import free_port, process_env, start_gunicorn, start_worker, stop, wait_for

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def _get(url: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")
    except OSError:
        return 0, {}


def _terminate_other_connections() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def _run(sender, task: str):
    # Eager tasks run earlier in this process leave Celery believing it is inside a task.
    return sender.send_task(task).get(timeout=60, disable_sync_subtasks=False)


def test_web_and_worker_survive_every_connection_being_terminated(own_broker, tmp_path):
    env = process_env(
        broker_url=own_broker.url, CONN_MAX_AGE=600, CONN_HEALTH_CHECKS="true",
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend", EMAIL_FILE_PATH=tmp_path / "emails",
    )
    port = free_port()
    healthz = f"http://127.0.0.1:{port}/healthz"
    web = start_gunicorn(env, port, tmp_path / "web.log")
    worker = start_worker(env, tmp_path / "worker.log")
    # Not the current app: shared tasks published by later tests must keep using config.celery.
    sender = Celery("fault-test", broker=own_broker.url, backend=own_broker.url, set_as_current=False)
    try:
        status, body = wait_for(lambda: (r := _get(healthz))[0] and r, timeout=60, what="gunicorn")
        assert body.get("database") in (True, "ok"), body
        # The worker now holds a database connection too.
        assert _run(sender, "accounts.tasks.relay_notifications") == 0

        time.sleep(0.5)  # the worker finishes the task (Celery may close or keep its connection)
        terminated = _terminate_other_connections()
        assert terminated >= 1, "the web server's kept connection was not there to terminate"

        # The next request and the next task reuse their (dead) kept connection: each must
        # notice, reconnect and answer as if nothing happened.
        status, body = _get(healthz)
        assert status == 200 and body.get("database") in (True, "ok"), (status, body)
        assert _run(sender, "accounts.tasks.relay_notifications") == 0
        assert _run(sender, "greenlight.ping") == "pong"
    finally:
        stop(web)
        stop(worker)
        sender.close()
    print(f"\nterminated {terminated} connections; web and worker answered the next request and task")
    log = (tmp_path / "worker.log").read_text(errors="replace")
    assert "OperationalError" not in log and "InterfaceError" not in log, log[-2000:]
