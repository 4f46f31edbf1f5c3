"""The requester cancels their own pending request: one confirmation, one audit entry, the
approvers told in-app and their links showing it cancelled; then it can be resubmitted."""

import pytest
from django.urls import reverse

from accounts.models import Notification
from approvals import services
from approvals.models import ApprovalTransition, Decision, State, StepApprover
from approvals.tokens import make_decision_token
from tests.factories import move_past_expiry

pytestmark = pytest.mark.django_db


def _cancel(client, approval_request, **data):
    return client.post(reverse("approvals:cancel", args=[approval_request.pk]), data)


def test_requester_cancels_own_pending_request_with_a_reason(client, team, make_request, mailoutbox):
    approval_request = make_request(title="Data engineer")
    client.force_login(team.manager)

    response = _cancel(client, approval_request, reason="The role was filled internally.", confirm="yes")

    assert response.status_code == 302
    approval_request.refresh_from_db()
    assert approval_request.state == State.CANCELLED
    assert approval_request.cancel_reason == "The role was filled internally."
    assert approval_request.cancelled_at is not None
    [entry] = ApprovalTransition.objects.filter(request=approval_request, name="cancel")
    assert (entry.actor, entry.source_state, entry.target_state) == (team.manager, "pending", "cancelled")
    assert entry.comment == "The role was filled internally."
    assert list(StepApprover.objects.filter(request=approval_request).values_list("decision", flat=True)) == [
        Decision.NOT_NEEDED
    ]
    [notification] = Notification.objects.filter(kind=Notification.Kind.APPROVAL_CANCELLED)
    assert notification.recipient == team.approver
    assert notification.title == "Maria Manager cancelled “Data engineer”: The role was filled internally."
    assert notification.email_state == Notification.EmailState.SKIPPED  # in-app only
    page = client.get(reverse("approvals:detail", args=[approval_request.pk])).content.decode()
    assert "Request cancelled. Its approvers have been told." in page
    assert "Cancelled</strong> by Maria Manager" in page and "The role was filled internally." in page
    assert mailoutbox == []


def test_cancel_without_confirm_asks_once_and_changes_nothing(client, team, make_request):
    approval_request = make_request()
    client.force_login(team.manager)

    response = _cancel(client, approval_request, reason="No budget")

    assert response.status_code == 200
    page = response.content.decode()
    assert "Cancel this request?" in page and "Yes, cancel the request" in page
    assert 'name="reason" value="No budget"' in page
    approval_request.refresh_from_db()
    assert approval_request.state == State.PENDING
    assert not ApprovalTransition.objects.filter(request=approval_request, name="cancel").exists()


def test_requester_sees_the_cancel_form_and_the_approver_does_not(client, team, make_request):
    approval_request = make_request()
    url = reverse("approvals:detail", args=[approval_request.pk])
    client.force_login(team.manager)
    assert "Cancel request" in client.get(url).content.decode()
    client.force_login(team.approver)
    page = client.get(url).content.decode()
    assert "Your decision" in page and "Cancel request" not in page


def test_approver_cannot_cancel_a_request_that_is_not_theirs(client, team, make_request):
    approval_request = make_request()
    client.force_login(team.approver)

    response = _cancel(client, approval_request, confirm="yes")

    assert response.status_code == 302
    approval_request.refresh_from_db()
    assert approval_request.state == State.PENDING
    with pytest.raises(services.ApprovalError, match="Only the hiring manager who made this request"):
        services.approval_request_cancel(approval_request_id=approval_request.pk, actor=team.approver)


def test_another_company_cannot_cancel_answers_404(client, team, make_request):
    approval_request = make_request()
    client.force_login(team.outsider)
    assert _cancel(client, approval_request, confirm="yes").status_code == 404
    approval_request.refresh_from_db()
    assert approval_request.state == State.PENDING


def test_a_decided_request_cannot_be_cancelled(client, team, make_request):
    approval_request = make_request()
    services.approval_request_approve(approval_request_id=approval_request.pk, actor=team.approver)
    client.force_login(team.manager)

    page = client.get(reverse("approvals:detail", args=[approval_request.pk])).content.decode()
    assert "Cancel request" not in page
    response = _cancel(client, approval_request, confirm="yes", follow=True)

    approval_request.refresh_from_db()
    assert approval_request.state == State.APPROVED
    with pytest.raises(services.ApprovalError, match="This request is approved: it cannot be cancelled now."):
        services.approval_request_cancel(approval_request_id=approval_request.pk, actor=team.manager)
    assert response.status_code == 302


def test_a_request_past_its_decision_window_cannot_be_cancelled(team, make_request):
    approval_request = move_past_expiry(make_request())
    with pytest.raises(services.ApprovalError, match="This request has expired."):
        services.approval_request_cancel(approval_request_id=approval_request.pk, actor=team.manager)
    approval_request.refresh_from_db()
    assert approval_request.state == State.PENDING


def test_cancelling_twice_is_refused_and_logged_once(team, make_request):
    approval_request = make_request()
    services.approval_request_cancel(approval_request_id=approval_request.pk, actor=team.manager)
    with pytest.raises(services.ApprovalError, match="This request is cancelled: it cannot be cancelled"):
        services.approval_request_cancel(approval_request_id=approval_request.pk, actor=team.manager)
    assert ApprovalTransition.objects.filter(request=approval_request, name="cancel").count() == 1


def test_a_cancelled_request_cannot_be_decided(team, make_request):
    approval_request = make_request()
    services.approval_request_cancel(approval_request_id=approval_request.pk, actor=team.manager)
    with pytest.raises(services.ApprovalError):
        services.approval_request_approve(approval_request_id=approval_request.pk, actor=team.approver)
    approval_request.refresh_from_db()
    assert approval_request.state == State.CANCELLED


def test_approvers_link_after_cancel_shows_it_was_cancelled_and_changes_nothing(client, team, make_request):
    approval_request = make_request(title="Data engineer")
    token = make_decision_token(approval_request=approval_request, action="approve")
    url = reverse("approvals:email_decision", args=[token])
    services.approval_request_cancel(
        approval_request_id=approval_request.pk, actor=team.manager, reason="Hired someone else."
    )

    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Cancelled</strong> by Maria Manager" in page and "Hired someone else." in page
    assert "Confirm: Approve" not in page

    response = client.post(url)
    assert response.status_code == 200
    approval_request.refresh_from_db()
    assert approval_request.state == State.CANCELLED
    assert not ApprovalTransition.objects.filter(request=approval_request, name="approve").exists()


def test_requester_resubmits_a_cancelled_request(client, team, make_request):
    approval_request = make_request(title="Data engineer")
    services.approval_request_cancel(approval_request_id=approval_request.pk, actor=team.manager)
    client.force_login(team.manager)

    page = client.get(reverse("approvals:detail", args=[approval_request.pk])).content.decode()
    assert "Resubmit" in page
    form = client.get(reverse("approvals:resubmit", args=[approval_request.pk]))
    assert form.status_code == 200
    assert 'value="Data engineer"' in form.content.decode()
    newer = services.approval_request_create(
        requester=team.manager, approver=team.approver, title="Data engineer", amount=approval_request.amount,
        start_date=approval_request.start_date, freelancer=team.freelancer, weekly_hour_limit=30,
        resubmission_of=approval_request,
    )
    assert newer.resubmission_of == approval_request and newer.state == State.PENDING


def test_cancelled_tab_lists_cancelled_requests_and_counts_them(client, team, make_request):
    make_request(title="Still pending")
    cancelled = make_request(title="No longer needed")
    services.approval_request_cancel(approval_request_id=cancelled.pk, actor=team.manager)
    client.force_login(team.manager)

    response = client.get(reverse("approvals:dashboard"), {"tab": "cancelled"})

    page = response.content.decode()
    assert "No longer needed" in page and "Still pending" not in page
    assert "Cancelled on" in page
    tabs = {tab["key"]: tab["count"] for tab in response.context["tabs"]}
    assert tabs["cancelled"] == 1 and tabs["pending"] == 1
