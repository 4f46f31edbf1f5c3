"""The outbox relay: each notification is emailed once, outside any transaction; provider errors
are retried with backoff, permanent rejections are failed with their reason and retryable from
the admin, and one bad row never holds up the others."""

import datetime

import pytest
from anymail.backends.test import EmailBackend as AnymailTestBackend
from anymail.exceptions import AnymailAPIError
from anymail.message import AnymailRecipientStatus
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from accounts import delivery
from accounts.models import Notification, NotificationSetting
from accounts.notifications import notify
from accounts.tasks import deliver_notifications, relay_notifications
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

BOUNCING = "bounce@example.test"


class FlakyBackend(AnymailTestBackend):
    """The provider fails ``failures_left`` calls (a 5xx, a timeout), then accepts."""

    failures_left = 0
    calls = 0

    def send_messages(self, email_messages):
        FlakyBackend.calls += 1
        if FlakyBackend.failures_left:
            FlakyBackend.failures_left -= 1
            raise AnymailAPIError("provider answered 503")
        return super().send_messages(email_messages)


class RejectingBackend(AnymailTestBackend):
    """The provider refuses one address for good (a suppressed, bounced recipient)."""

    def send_messages(self, email_messages):
        for message in email_messages:
            if BOUNCING in message.to:
                message.anymail_test_response = {
                    "recipient_status": {BOUNCING: AnymailRecipientStatus(message_id=None, status="rejected")}
                }
        return super().send_messages(email_messages)


class TransactionCheckingBackend(AnymailTestBackend):
    """Records whether each provider call happened inside a database transaction."""

    in_atomic_block = []

    def send_messages(self, email_messages):
        TransactionCheckingBackend.in_atomic_block.append(connection.in_atomic_block)
        return super().send_messages(email_messages)


def _notification(n=1, *, email=None, recipient=None, kind=Notification.Kind.APPROVAL_NEW):
    return notify(
        key=f"test:{n}", kind=kind, recipient=recipient, email=email or f"user{n}@example.test",
        title=f"Welcome {n}", link="/", template="emails/test-welcome", context={"name": f"Ada {n}"},
    )


def _make_due():
    """Let time pass: every backoff and claim is over."""
    Notification.objects.update(email_next_attempt_at=timezone.now())


def test_a_notification_is_emailed_once_even_when_the_task_runs_twice(mailoutbox):
    notification = _notification()
    assert deliver_notifications([notification.pk]) == 1
    assert deliver_notifications([notification.pk]) == 0
    assert relay_notifications() == 0
    [message] = mailoutbox
    assert message.to == ["user1@example.test"] and message.subject == "Welcome, Ada 1"
    assert "Hello Ada 1" in message.body and "<strong>Ada 1</strong>" in message.alternatives[0][0]
    notification.refresh_from_db()
    assert notification.email_state == "sent" and notification.email_attempts == 1
    assert notification.email_sent_at is not None and notification.email_message_id == "0"


def test_provider_failing_three_times_then_succeeding_delivers_once(settings, mailoutbox):
    settings.EMAIL_BACKEND = "tests.accounts.test_delivery.FlakyBackend"
    FlakyBackend.failures_left, FlakyBackend.calls = 3, 0
    notification = _notification()
    waits = []
    for _ in range(3):
        assert delivery.relay().retried == 1
        notification.refresh_from_db()
        assert notification.email_state == "pending"
        assert "provider answered 503" in notification.email_last_error
        waits.append(round((notification.email_next_attempt_at - timezone.now()).total_seconds()))
        assert delivery.relay().claimed == 0  # not due again before its backoff is over
        _make_due()
    assert waits == [30, 60, 120]
    assert delivery.relay().sent == 1
    assert delivery.relay().claimed == 0
    notification.refresh_from_db()
    assert notification.email_state == "sent" and notification.email_attempts == 4
    assert notification.email_last_error == ""
    assert FlakyBackend.calls == 4 and len(mailoutbox) == 1


def test_after_the_last_attempt_a_transient_error_fails_for_good(settings, mailoutbox):
    settings.EMAIL_BACKEND = "tests.accounts.test_delivery.FlakyBackend"
    FlakyBackend.failures_left = delivery.MAX_ATTEMPTS
    notification = _notification()
    for _ in range(delivery.MAX_ATTEMPTS):
        delivery.relay()
        _make_due()
    notification.refresh_from_db()
    assert notification.email_state == "failed" and notification.email_attempts == delivery.MAX_ATTEMPTS
    assert "provider answered 503" in notification.email_last_error
    assert mailoutbox == []


def test_backoff_doubles_up_to_half_an_hour():
    assert [delivery.backoff(n).total_seconds() for n in (1, 2, 3, 6, 7, 8)] == [
        30, 60, 120, 960, 1800, 1800,
    ]


def test_a_permanent_rejection_fails_with_its_reason_and_the_others_are_delivered(settings, mailoutbox):
    settings.EMAIL_BACKEND = "tests.accounts.test_delivery.RejectingBackend"
    first = _notification(1)
    bouncing = _notification(2, email=BOUNCING)
    last = _notification(3)
    report = delivery.relay()
    assert (report.sent, report.retried, report.failed) == (2, 0, 1)
    bouncing.refresh_from_db()
    assert bouncing.email_state == "failed" and bouncing.email_attempts == 1
    assert "rejected" in bouncing.email_last_error
    assert sorted(m.to[0] for m in mailoutbox if m.to != [BOUNCING]) == [
        "user1@example.test", "user3@example.test",
    ]
    _make_due()
    assert delivery.relay().claimed == 0  # never retried by itself
    assert {n.email_state for n in (first, last) if n.refresh_from_db() is None} == {"sent"}


def test_admin_retries_a_failed_email(client, settings, mailoutbox, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "tests.accounts.test_delivery.RejectingBackend"
    failed = _notification(1, email=BOUNCING)
    sent = _notification(2)
    delivery.relay()
    Notification.objects.filter(pk=failed.pk).update(email="fixed@example.test")  # say, unsuppressed
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    changelist = client.get("/admin/accounts/notification/?email_state__exact=failed").content.decode()
    assert "fixed@example.test" in changelist and "rejected" in changelist
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/accounts/notification/",
            {"action": "retry_email_delivery", "_selected_action": [failed.pk, sent.pk]},
            follow=True,
        )
    assert "1 email queued for delivery again. 1 not failed, left as they are." in response.content.decode()
    failed.refresh_from_db()
    assert failed.email_state == "sent" and failed.email_attempts == 1
    assert [m.to for m in mailoutbox][-1] == ["fixed@example.test"]
    assert len([m for m in mailoutbox if m.to == ["user2@example.test"]]) == 1  # not sent again


def test_a_muted_kind_is_not_emailed_but_stays_in_the_inbox(mailoutbox):
    ada = UserFactory(email="ada@example.test")
    NotificationSetting.objects.create(user=ada, kind=Notification.Kind.OFFER_SENT, email_enabled=False)
    muted = _notification(1, recipient=ada, email="", kind=Notification.Kind.OFFER_SENT)
    emailed = _notification(2, recipient=ada, email="", kind=Notification.Kind.OFFER_WITHDRAWN)
    assert delivery.relay().sent == 1
    muted.refresh_from_db()
    assert muted.email_state == "skipped"
    assert [m.subject for m in mailoutbox] == ["Welcome, Ada 2"]
    assert list(ada.notifications.order_by("id")) == [muted, emailed]


def test_a_claim_left_by_a_dead_worker_is_delivered_after_it_times_out(mailoutbox):
    notification = _notification()
    Notification.objects.filter(pk=notification.pk).update(
        email_state="sending", email_attempts=1,
        email_next_attempt_at=timezone.now() + delivery.CLAIM_TIMEOUT,
    )
    assert delivery.relay().claimed == 0  # another worker may still be sending it
    Notification.objects.filter(pk=notification.pk).update(
        email_next_attempt_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert delivery.relay().sent == 1
    notification.refresh_from_db()
    assert notification.email_state == "sent" and notification.email_attempts == 2
    assert len(mailoutbox) == 1


def test_the_command_runs_one_relay_pass_and_says_what_it_did(settings, mailoutbox, capsys):
    settings.EMAIL_BACKEND = "tests.accounts.test_delivery.RejectingBackend"
    _notification(1)
    _notification(2, email=BOUNCING)
    call_command("deliver_notifications")
    assert capsys.readouterr().out.strip() == "Sent 1, retry later 0, failed 1."
    assert len(mailoutbox) == 2


def test_every_delivery_outcome_is_one_structured_log_line(settings, caplog):
    settings.EMAIL_BACKEND = "tests.accounts.test_delivery.RejectingBackend"
    sent = _notification(1)
    failed = _notification(2, email=BOUNCING)
    with caplog.at_level("INFO", logger="greenlight"):
        delivery.relay()
    lines = [r.getMessage() for r in caplog.records if r.name == "greenlight.notification"]
    assert f"event=notification.delivery outcome=sent key=test:1 notification={sent.pk} attempt=1" in lines
    assert any(
        line.startswith(f"event=notification.delivery outcome=failed key=test:2 notification={failed.pk} ")
        for line in lines
    )


@pytest.mark.django_db(transaction=True)
def test_no_provider_call_happens_inside_a_transaction(settings, mailoutbox):
    settings.EMAIL_BACKEND = "tests.accounts.test_delivery.TransactionCheckingBackend"
    TransactionCheckingBackend.in_atomic_block = []
    from django.db import transaction

    with transaction.atomic():  # as a service does; the task runs after commit
        for n in range(3):
            _notification(n)
    assert connection.in_atomic_block is False
    assert len(mailoutbox) == 3  # delivered by the eager task enqueued on commit
    assert TransactionCheckingBackend.in_atomic_block == [False, False, False]
    assert set(Notification.objects.values_list("email_state", flat=True)) == {"sent"}


class UnreachableBackend(AnymailTestBackend):
    """The provider cannot be reached at all: opening the session fails, and so does each send."""

    def open(self):
        raise ConnectionError("provider unreachable")

    def send_messages(self, email_messages):
        self.open()


def test_an_unreachable_provider_puts_every_claimed_row_back_for_a_retry(settings, mailoutbox):
    settings.EMAIL_BACKEND = "tests.accounts.test_delivery.UnreachableBackend"
    for n in range(3):
        _notification(n)
    report = delivery.relay()
    assert (report.sent, report.retried, report.failed) == (0, 3, 0)
    assert set(Notification.objects.values_list("email_state", flat=True)) == {"pending"}
    assert all("provider unreachable" in n.email_last_error for n in Notification.objects.all())
