"""Emails give times in the recipient's zone, named, formatted when the notification is written."""

import datetime

import pytest

from accounts.models import User
from accounts.timezones import format_for
from approvals import emails, services
from approvals.models import ApprovalRequest

pytestmark = pytest.mark.django_db
DEADLINE = datetime.datetime(2026, 12, 6, 13, 0, tzinfo=datetime.UTC)


def _with_deadline(approval_request) -> ApprovalRequest:
    ApprovalRequest.objects.filter(pk=approval_request.pk).update(expires_at=DEADLINE)
    approval_request.refresh_from_db()
    return approval_request


def test_an_approver_in_paris_gets_the_deadline_in_paris_time(
    team, make_request, mailoutbox, django_capture_on_commit_callbacks
):
    team.approver.time_zone = "Europe/Paris"
    team.approver.save()
    approval_request = _with_deadline(make_request(title="Data engineer"))
    with django_capture_on_commit_callbacks(execute=True):
        emails.send_reminder(approval_request.step_approvers.get())
    [message] = mailoutbox
    assert message.to == ["alan@acme.test"]
    assert "expires on Dec 6, 2026 14:00 CET." in message.body
    assert "<strong>Dec 6, 2026 14:00 CET</strong>" in message.alternatives[0][0]
    assert "UTC" not in message.body


def test_each_recipient_reads_their_own_zone(
    team, make_request, mailoutbox, django_capture_on_commit_callbacks
):
    """The approver is in Paris, the requester in New York: the decision email is the requester's."""
    team.approver.time_zone = "Europe/Paris"
    team.approver.save()
    team.manager.time_zone = "America/New_York"
    team.manager.save()
    approval_request = make_request(title="Data engineer")
    with django_capture_on_commit_callbacks(execute=True):
        services.approval_request_approve(approval_request_id=approval_request.pk, actor=team.approver)
    [message] = mailoutbox
    approval_request.refresh_from_db()
    assert message.to == ["maria@acme.test"]
    until = format_for(team.manager, approval_request.expires_at)
    assert until.endswith((" EST", " EDT"))
    assert f"You can send the offer until {until}:" in message.body


def test_a_utc_reader_gets_utc_named():
    assert format_for(User(time_zone="UTC"), DEADLINE) == "Dec 6, 2026 13:00 UTC"


def test_an_address_without_an_account_gets_utc_named():
    assert format_for(None, DEADLINE) == "Dec 6, 2026 13:00 UTC"
