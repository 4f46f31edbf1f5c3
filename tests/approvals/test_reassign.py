"""Staff move a pending decision to another approver in the admin."""

import pytest
from django.urls import reverse

from accounts.models import Notification
from approvals import services
from approvals.models import ApprovalTransition
from approvals.tokens import check_decision_token, make_decision_token
from tests.approvals.chain_helpers import ask, initech
from tests.factories import UserFactory, approver

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    people = initech()
    people.backup = approver(people.company, full_name="Bea Backup", email="backup@initech.test")
    people.staff = UserFactory(full_name="Priya Success", is_staff=True, is_superuser=True)
    return people


def _move(client, people, approval_request, seat, to, reason="Leo is on leave"):
    client.force_login(people.staff)
    return client.post(
        reverse("admin:approvals_approvalrequest_reassign", args=[approval_request.pk]),
        {"seat": seat.pk, "new_approver": to.pk, "reason": reason}, follow=True,
    )


def test_staff_move_a_decision_both_are_told_and_the_trail_says_who_and_why(client, people):
    approval_request = ask(people)
    seat = approval_request.step_approvers.get(approver=people.lead)
    old_link = make_decision_token(approval_request=approval_request, seat=seat, action="approve")
    response = _move(client, people, approval_request, seat, people.backup)
    assert "Moved to Bea Backup; both approvers were told." in response.content.decode()
    seat.refresh_from_db()
    assert seat.approver == people.backup
    entry = ApprovalTransition.objects.get(request=approval_request, name="reassign")
    assert entry.actor == people.staff
    assert entry.comment == "Moved from Leo Lead to Bea Backup by Priya Success: Leo is on leave"
    titles = dict(
        Notification.objects.filter(kind="approval-delegated").values_list("recipient__email", "title")
    )
    assert "moved your decision" in titles["lead@initech.test"]
    assert "from Leo Lead to you" in titles["backup@initech.test"]
    assert Notification.objects.filter(kind="approval-new", recipient=people.backup).exists()
    # The old approver's link now says the decision was moved; the new approver decides.
    assert check_decision_token(old_link).status == "moved"
    client.logout()
    page = client.get(reverse("approvals:email_decision", args=[old_link])).content.decode()
    assert "moved to another approver" in page
    services.approval_request_approve(approval_request_id=approval_request.pk, actor=people.backup)


@pytest.mark.parametrize("case, message", [
    ("requester", "cannot decide their own request"),
    ("outsider", "is not an active approver"),
    ("same-step", "already an approver of the step"),
    ("no-reason", "Say why the decision is moved"),
])
def test_a_move_that_breaks_a_rule_is_refused_and_changes_nothing(people, case, message):
    approval_request = ask(people)
    seat = approval_request.step_approvers.get(approver=people.cfo)
    to = {"requester": people.manager, "outsider": approver(), "same-step": people.controller,
          "no-reason": people.backup}[case]
    with pytest.raises(services.ApprovalError, match=message):
        services.step_approver_reassign(
            step_approver_id=seat.pk, new_approver=to, actor=people.staff,
            reason="" if case == "no-reason" else "Away",
        )
    seat.refresh_from_db()
    assert seat.approver == people.cfo
    assert not ApprovalTransition.objects.filter(name="reassign").exists()


def test_a_decided_request_cannot_be_reassigned(people):
    approval_request = ask(people, amount="100")
    seat = approval_request.step_approvers.get(approver=people.lead)
    services.approval_request_decline(approval_request_id=approval_request.pk, actor=people.lead)
    with pytest.raises(services.ApprovalError, match="declined"):
        services.step_approver_reassign(
            step_approver_id=seat.pk, new_approver=people.backup, actor=people.staff, reason="x"
        )


def test_the_admin_form_shows_a_refusal_and_keeps_the_reason(client, people):
    approval_request = ask(people)
    seat = approval_request.step_approvers.get(approver=people.cfo)
    response = _move(client, people, approval_request, seat, people.controller, reason="Cora is out")
    page = response.content.decode()
    assert "already an approver of the step" in page and "Cora is out" in page


def test_staff_without_the_permission_cannot_reassign(client, people):
    approval_request = ask(people)
    client.force_login(UserFactory(is_staff=True))
    response = client.get(reverse("admin:approvals_approvalrequest_reassign", args=[approval_request.pk]))
    assert response.status_code == 403
