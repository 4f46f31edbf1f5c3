"""Each approval email: recipients, content, links; written with the change as a notification,
emailed after commit and only once."""

import datetime
import re

import pytest
from django.utils import timezone

from accounts.models import Notification
from accounts.tasks import deliver_notifications
from approvals import emails, services, tasks
from approvals.models import State
from tests.factories import move_past_expiry

pytestmark = pytest.mark.django_db


def _deliver(notification):
    """What the after-commit task does, run by hand: True when it emailed something."""
    return deliver_notifications([notification.pk]) == 1


def _links(message):
    return re.findall(r"http://testserver/\S+/", message.body)


def test_new_request_email_goes_to_the_approver_with_details_and_one_click_links(
    team, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        approval_request = services.approval_request_create(
            requester=team.manager, approver=team.approver, title="Senior Django developer",
            amount="95.00", currency="EUR", start_date=timezone.localdate(),
            freelancer=team.freelancer, weekly_hour_limit=25, justification="Billing backlog",
        )
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["alan@acme.test"]
    assert message.subject == "Approval needed: Senior Django developer for Ada Lovelace"
    for text in ("Maria Manager asks you to approve", "95.00 EUR per hour", "up to 25 hours a week",
                 "Billing backlog", "Approve: http://testserver/approvals/email/",
                 "Decline: http://testserver/approvals/email/",
                 f"http://testserver/approvals/{approval_request.pk}/"):
        assert text in message.body, text
    html = message.alternatives[0][0]
    assert ">Approve</a>" in html and ">Decline</a>" in html
    approve_url, decline_url = _links(message)[:2]
    assert approve_url != decline_url
    assert approve_url in html.replace("&amp;", "&")


def test_decision_email_goes_to_the_requester_with_the_comment(
    team, make_request, mailoutbox, django_capture_on_commit_callbacks
):
    approval_request = make_request(title="Data engineer")
    with django_capture_on_commit_callbacks(execute=True):
        services.approval_request_decline(
            approval_request_id=approval_request.pk, actor=team.approver, comment="Over budget."
        )
    [message] = mailoutbox
    assert message.to == ["maria@acme.test"]
    assert message.subject == "Declined: Data engineer for Ada Lovelace"
    assert "Alan Approver declined your request" in message.body
    assert "Comment: Over budget." in message.body
    assert f"http://testserver/approvals/{approval_request.pk}/" in message.body
    assert "Over budget." in message.alternatives[0][0]
    resubmit_url = f"http://testserver/approvals/{approval_request.pk}/resubmit/"
    assert resubmit_url in message.body and resubmit_url in message.alternatives[0][0]


def test_no_decision_email_when_the_transaction_rolls_back(
    team, make_request, mailoutbox, django_capture_on_commit_callbacks
):
    """Enqueued on commit: a decision that never commits tells no one."""
    from django.db import transaction

    approval_request = make_request()
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.approval_request_approve(approval_request_id=approval_request.pk, actor=team.approver)
        raise RuntimeError("the surrounding work failed")
    assert callbacks == [] and mailoutbox == []
    approval_request.refresh_from_db()
    assert approval_request.state == State.PENDING


def test_approval_email_says_until_when_it_can_be_used(
    team, make_request, mailoutbox, django_capture_on_commit_callbacks
):
    approval_request = make_request(title="Data engineer")
    with django_capture_on_commit_callbacks(execute=True):
        services.approval_request_approve(approval_request_id=approval_request.pk, actor=team.approver)
    [message] = mailoutbox
    assert message.subject.startswith("Approved: Data engineer")
    assert "You can send the offer until" in message.body
    send_url = f"http://testserver/offers/new/?approval_request={approval_request.pk}"
    assert send_url in message.body
    assert send_url in message.alternatives[0][0].replace("&amp;", "&")


def test_expiry_email_goes_to_the_requester_once(
    team, make_request, mailoutbox, django_capture_on_commit_callbacks
):
    approval_request = move_past_expiry(make_request(title="Data engineer"))
    with django_capture_on_commit_callbacks(execute=True):
        services.approval_requests_expire_stale()
    [message] = mailoutbox
    assert message.to == ["maria@acme.test"]
    assert message.subject == "Expired: Data engineer for Ada Lovelace"
    assert "Alan Approver did not decide it in time" in message.body
    assert f"http://testserver/approvals/{approval_request.pk}/resubmit/" in message.body
    assert not _deliver(Notification.objects.get(key=f"approval-expired:{approval_request.pk}"))  # again
    assert len(mailoutbox) == 1


def test_reminder_goes_to_the_approver_a_day_before_expiry_once(
    team, make_request, mailoutbox, django_capture_on_commit_callbacks
):
    approval_request = make_request(title="Data engineer")
    from approvals.models import ApprovalRequest

    ApprovalRequest.objects.filter(pk=approval_request.pk).update(
        expires_at=timezone.now() + datetime.timedelta(hours=20),
        created_at=timezone.now() - datetime.timedelta(days=13),
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.remind_approvers_before_expiry.delay().get() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.remind_approvers_before_expiry.delay().get() == 0
    [message] = mailoutbox
    assert message.to == ["alan@acme.test"]
    assert message.subject == "Reminder: decide “Data engineer” before it expires"
    assert "Approve: http://testserver/approvals/email/" in message.body


def test_no_reminder_for_requests_far_from_expiry_or_decided(team, make_request, mailoutbox,
                                                             django_capture_on_commit_callbacks):
    from approvals.models import ApprovalRequest

    make_request()  # 14 days left
    decided = make_request()
    ApprovalRequest.objects.filter(pk=decided.pk).update(
        expires_at=timezone.now() + datetime.timedelta(hours=20),
        created_at=timezone.now() - datetime.timedelta(days=13),
    )
    services.approval_request_decline(approval_request_id=decided.pk, actor=team.approver)
    fresh = make_request()  # a one-day window, created just now
    ApprovalRequest.objects.filter(pk=fresh.pk).update(
        expires_at=timezone.now() + datetime.timedelta(hours=23)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.approval_requests_mark_for_reminder() == []
    assert mailoutbox == []


def test_email_is_sent_once_even_when_delivery_runs_twice(team, make_request, mailoutbox):
    approval_request = make_request()
    [notification] = emails.send_new_request(approval_request)
    assert _deliver(notification) is True
    assert _deliver(notification) is False
    assert len(mailoutbox) == 1
    assert Notification.objects.filter(key__startswith=f"approval-new:{approval_request.pk}:").count() == 1


def test_new_request_notification_is_written_with_the_request(team):
    approval_request = services.approval_request_create(
        requester=team.manager, approver=team.approver, title="Data engineer", amount="5",
        start_date=timezone.localdate(), freelancer=team.freelancer, weekly_hour_limit=5,
    )
    notification = Notification.objects.get(key__startswith=f"approval-new:{approval_request.pk}:")
    assert notification.recipient == team.approver and notification.kind == "approval-new"
    assert notification.title == "Maria Manager asks you to approve “Data engineer”"
    assert notification.link == f"/approvals/{approval_request.pk}/"
    assert notification.email_state == "pending"  # emailed after commit


def test_provider_failure_is_retried_and_then_sent_once(team, make_request, mailoutbox):
    """A provider error puts the notification back in the queue with a backoff; the next pass
    after it sends it, and a later redelivery does not."""
    from unittest import mock

    from anymail.exceptions import AnymailAPIError
    from django.core.mail import EmailMultiAlternatives
    from django.utils import timezone as tz

    approval_request = make_request()
    [notification] = emails.send_new_request(approval_request)
    real_send = EmailMultiAlternatives.send
    calls = []

    def flaky_send(self, *args, **kwargs):
        calls.append(self.subject)
        if len(calls) == 1:
            raise AnymailAPIError("provider down")
        return real_send(self, *args, **kwargs)

    with mock.patch.object(EmailMultiAlternatives, "send", flaky_send):
        assert _deliver(notification) is False
        notification.refresh_from_db()
        assert notification.email_state == "pending" and "provider down" in notification.email_last_error
        with mock.patch.object(tz, "now", return_value=tz.now() + datetime.timedelta(minutes=1)):
            assert _deliver(notification) is True
    assert len(calls) == 2 and len(mailoutbox) == 1
    assert _deliver(notification) is False  # a redelivery
    assert len(mailoutbox) == 1


def test_one_click_links_in_the_email_open_the_confirm_pages(
    client, team, make_request, mailoutbox
):
    approval_request = make_request()
    _deliver(*emails.send_new_request(approval_request))
    approve_url, decline_url, detail_url = _links(mailoutbox[0])
    assert "Confirm: Approve" in client.get(approve_url).content.decode()
    assert "Confirm: Decline" in client.get(decline_url).content.decode()
    assert detail_url == f"http://testserver/approvals/{approval_request.pk}/"
    approval_request.refresh_from_db()
    assert approval_request.state == "pending"


def test_new_request_email_for_a_resubmission_says_so(team, make_request, mailoutbox):
    declined = make_request()
    services.approval_request_decline(approval_request_id=declined.pk, actor=team.approver)
    resubmission = services.approval_request_create(
        requester=team.manager, approver=team.approver, title="Again", amount="5",
        start_date=timezone.localdate(), freelancer=team.freelancer, weekly_hour_limit=5,
        resubmission_of=declined,
    )
    _deliver(Notification.objects.get(key__startswith=f"approval-new:{resubmission.pk}:"))
    assert f"This resubmits request #{declined.pk}, which was declined." in mailoutbox[0].body
