"""A broker that is down at commit time never reaches the user: the page answers as usual, the
change and its notification are saved, and the relay delivers the email later."""

import datetime
import socket

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import delivery
from accounts.models import Notification
from approvals.models import ApprovalRequest, State
from config.celery import app
from jobs.models import Invite
from tests.factories import direct_invite, freelancer

pytestmark = pytest.mark.django_db



def _closed_port_url() -> str:
    """A broker URL on a port nothing listens on (one just freed, not a well-known one that
    another process on this machine might be using)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"redis://127.0.0.1:{port}/0"


@pytest.fixture
def broker_down(settings, monkeypatch):
    """Tasks are published to a broker that refuses connections, as when Redis is stopped."""
    # Read first: Celery loads its configuration from the Django settings on first use, and
    # must load the test settings, not the ones changed below.
    # broker_write_url follows broker_url while it is not set itself: leave it unset.
    saved = {name: app.conf[name] for name in ("broker_url", "task_always_eager")}
    closed = _closed_port_url()
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = closed
    monkeypatch.setenv("CELERY_BROKER_URL", closed)  # Celery reads the variable before its own setting
    saved_pool, saved_producers = app._pool, app.amqp._producer_pool
    app.conf.update(broker_url=closed, task_always_eager=False)
    app._pool, app.amqp._producer_pool = None, None  # connect anew, to the closed port
    yield
    app.conf.update(saved)
    app._pool, app.amqp._producer_pool = saved_pool, saved_producers


def test_create_and_decide_answer_normally_with_the_broker_down(
    client, manager, boss, talent, broker_down, mailoutbox, caplog, django_capture_on_commit_callbacks
):
    client.force_login(manager)
    data = {
        "title": "Senior Django developer", "offer_type": "direct", "freelancer": talent.pk,
        "contract_type": "hourly", "amount": "95.50", "currency": "USD", "weekly_hour_limit": "30",
        "start_date": (timezone.localdate() + datetime.timedelta(days=7)).isoformat(),
        "approver": boss.pk,
    }
    with caplog.at_level("WARNING"), django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("approvals:create"), data)
    approval_request = ApprovalRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("approvals:detail", args=[approval_request.pk])
    logged = [r.getMessage() for r in caplog.records]
    assert any("event=notification.enqueue outcome=deferred" in line for line in logged), logged

    client.force_login(boss)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("approvals:decide", args=[approval_request.pk]), {"decision": "approve"}, follow=True
        )
    assert response.status_code == 200 and "Request approved." in response.content.decode()
    approval_request.refresh_from_db()
    assert approval_request.state == State.APPROVED

    # Nothing was emailed, nothing was lost: both notifications wait for the relay.
    assert mailoutbox == []
    assert sorted(Notification.objects.values_list("key", "email_state")) == [
        (f"approval-decision:{approval_request.pk}", "pending"),
        (f"approval-new:{approval_request.pk}:{approval_request.steps.get().pk}:{boss.pk}", "pending"),
    ]
    assert delivery.relay().sent == 2
    assert sorted(m.to[0] for m in mailoutbox) == ["alan@acme.test", "maria@acme.test"]


def test_accepting_an_invite_answers_normally_with_the_broker_down(
    client, broker_down, mailoutbox, django_capture_on_commit_callbacks
):
    invite = direct_invite(freelancer(connects_balance=20))
    client.force_login(invite.freelancer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("jobs:invite_accept", args=[invite.pk]), {"confirm": "yes"})
    assert response.status_code == 302
    invite.refresh_from_db()
    assert invite.state == Invite.State.ACCEPTED
    notification = Notification.objects.get(key=f"invite-accepted:{invite.pk}")
    assert notification.email_state == "pending" and mailoutbox == []
    assert delivery.relay().sent == 1 and mailoutbox[0].to == [invite.invited_by.email]
