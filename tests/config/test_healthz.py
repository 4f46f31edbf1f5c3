import datetime

import pytest
from django.utils import timezone

from accounts.models import Notification

pytestmark = pytest.mark.django_db


def test_it_answers_200_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] is True


def test_it_checks_the_real_redis_broker_when_configured(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/15"
    from config.celery import app

    app.conf.broker_url = settings.CELERY_BROKER_URL
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok", "database": True, "broker": True,
        "notifications": {"undelivered": 0, "oldest_age_seconds": 0, "ok": True},
    }


def test_it_answers_503_when_the_broker_does_not_answer(client, settings, monkeypatch):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    # Celery prefers the environment variable (set when the suite runs on its own Redis database).
    monkeypatch.setenv("CELERY_BROKER_URL", settings.CELERY_BROKER_URL)
    from config.celery import app

    original = app.conf.broker_url
    app.conf.broker_url = settings.CELERY_BROKER_URL
    try:
        response = client.get("/healthz")
    finally:
        app.conf.broker_url = original
    assert response.status_code == 503
    assert response.json()["broker"] is False


def _waiting(key, *, age_seconds, state="pending"):
    return Notification.objects.create(
        key=key, kind="approval-new", email=f"{key}@example.test", title=key, template="emails/test-welcome",
        email_state=state, created_at=timezone.now() - datetime.timedelta(seconds=age_seconds),
    )


def test_it_shows_the_notification_backlog(client, settings):
    settings.NOTIFICATION_BACKLOG_MAX_AGE = 900
    _waiting("a", age_seconds=120)
    _waiting("b", age_seconds=600, state="sending")
    _waiting("c", age_seconds=5000, state="sent")  # delivered: not in the backlog
    response = client.get("/healthz")
    assert response.status_code == 200
    backlog = response.json()["notifications"]
    assert backlog["undelivered"] == 2 and backlog["ok"] is True
    assert 600 <= backlog["oldest_age_seconds"] < 660


def test_it_answers_503_when_an_email_waits_longer_than_the_limit(client, settings):
    settings.NOTIFICATION_BACKLOG_MAX_AGE = 900
    _waiting("late", age_seconds=901)
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable" and body["database"] is True
    assert body["notifications"]["undelivered"] == 1 and body["notifications"]["ok"] is False
