"""A worker killed with SIGKILL in the middle of a batch: after a restart every notification is
delivered, and the test prints how many were sent twice (the one window accounts.delivery
documents: between the provider's answer and the UPDATE that records it)."""

import collections
import datetime
import re
import signal

import pytest
from django.utils import timezone

from accounts.delivery import KEY_HEADER
from accounts.models import Notification
from approvals import services
from approvals.models import ApprovalRequest
from config.celery import app
from tests.config.processes import process_env, start_worker, stop, wait_for
from tests.factories import move_past_expiry, pending_request

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

COUNT = 300
KEY_LINE = re.compile(rf"^{KEY_HEADER}: (\S+)$", re.MULTILINE)


def _sent_keys(outbox) -> collections.Counter:
    return collections.Counter(
        key for path in outbox.iterdir() for key in KEY_LINE.findall(path.read_text(errors="replace"))
    )


def test_a_worker_killed_mid_batch_leaves_nothing_undelivered(company, manager, boss, talent, own_broker,
                                                               tmp_path):
    broker = own_broker
    template = move_past_expiry(
        pending_request(company=company, requester=manager, approver=boss, freelancer=talent)
    )
    fields = [f for f in ApprovalRequest._meta.concrete_fields if not f.primary_key]
    ApprovalRequest.objects.bulk_create([
        ApprovalRequest(**{f.attname: getattr(template, f.attname) for f in fields}) for _ in range(COUNT - 1)
    ])
    # The sweep writes 300 notifications and, after commit, publishes 3 delivery tasks to Redis.
    assert services.approval_requests_expire_stale() == COUNT
    keys = set(Notification.objects.values_list("key", flat=True))
    assert len(keys) == COUNT

    outbox = tmp_path / "emails"
    outbox.mkdir()
    env = process_env(
        broker_url=broker.url, EMAIL_BACKEND="tests.config.slow_file_email_backend.EmailBackend",
        EMAIL_FILE_PATH=outbox, SLOW_EMAIL_SECONDS="0.02",
    )
    worker = start_worker(env, tmp_path / "worker-1.log")
    try:
        wait_for(lambda: sum(_sent_keys(outbox).values()) >= 40, timeout=120, what="the first sends")
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        stop(worker, sig=signal.SIGKILL)
    at_kill = sum(_sent_keys(outbox).values())
    states = collections.Counter(Notification.objects.values_list("email_state", flat=True))
    print(f"\nworker killed after {at_kill} of {COUNT} emails; rows by state: {dict(states)}")
    assert at_kill < COUNT, "the worker finished before it was killed: nothing was tested"

    # The dead worker's claims are stale once CLAIM_TIMEOUT has passed: let it pass.
    Notification.objects.filter(email_state="sending").update(
        email_next_attempt_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    restarted = start_worker(env, tmp_path / "worker-2.log")
    try:
        # The delivery tasks still queued run on the new worker; the relay (beat's job, sent by
        # hand here) takes what the dead worker had claimed.
        app.send_task("accounts.tasks.relay_notifications")
        wait_for(lambda: not Notification.objects.exclude(email_state="sent").exists(), timeout=180,
                 what="every notification to be sent", interval=0.5)
    finally:
        stop(restarted)

    sent = _sent_keys(outbox)
    twice = {key: n for key, n in sent.items() if n > 1}
    print(f"SIGKILL mid-batch: {COUNT} notifications, {sum(sent.values())} emails written, "
          f"{len(twice)} sent twice {sorted(twice)}")
    assert set(sent) == keys
    assert Notification.objects.filter(email_state="sent").count() == COUNT
    # The window is one message per killed worker: the one between send and record.
    assert len(twice) <= 1 and max(sent.values()) <= 2
