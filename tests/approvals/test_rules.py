"""Each approvals rule is one function: the service enforces it and the pages show what it allows."""

import pytest
from django.urls import reverse

from approvals import rules, services
from approvals.models import State
from approvals.tokens import make_decision_token
from tests.factories import move_past_expiry

pytestmark = pytest.mark.django_db


def _link(approval_request, action="approve"):
    token = make_decision_token(approval_request=approval_request, action=action)
    return reverse("approvals:email_decision", args=[token])


def test_deactivated_approver_is_refused_by_the_service_and_the_one_click_page(client, team, make_request):
    approval_request = make_request(title="Data engineer")
    team.approver.is_active = False
    team.approver.save()

    assert rules.can_decide(team.approver, approval_request) == (
        "This account is deactivated: it cannot decide requests."
    )
    with pytest.raises(services.ApprovalError, match="deactivated"):
        services.approval_request_approve(approval_request_id=approval_request.pk, actor=team.approver)

    page = client.get(_link(approval_request)).content.decode()
    assert "Data engineer" in page
    assert "This account is deactivated: it cannot decide requests." in page
    assert "Confirm: Approve" not in page
    approval_request.refresh_from_db()
    assert approval_request.state == State.PENDING


def test_approver_who_lost_the_role_is_not_shown_the_decision_form(client, team, make_request):
    approval_request = make_request(title="Data engineer")
    team.approver.membership.is_approver = False
    team.approver.membership.is_hiring_manager = True  # still a member who sees the request
    team.approver.membership.save()
    client.force_login(team.approver)

    page = client.get(reverse("approvals:detail", args=[approval_request.pk])).content.decode()
    assert "Data engineer" in page
    assert "Your decision" not in page
    with pytest.raises(services.ApprovalError, match="no longer hold the approver role"):
        services.approval_request_decline(approval_request_id=approval_request.pk, actor=team.approver)


def test_approver_is_shown_the_decision_form_only_while_the_request_can_be_decided(
    client, team, make_request
):
    approval_request = make_request()
    client.force_login(team.approver)
    url = reverse("approvals:detail", args=[approval_request.pk])
    assert "Your decision" in client.get(url).content.decode()

    move_past_expiry(approval_request)
    page = client.get(url).content.decode()
    assert "Your decision" not in page
    assert "The decision window has passed" in page
    assert rules.can_decide(team.approver, approval_request) == "This request has expired."


def test_a_decided_request_is_refused_with_its_state(team, make_request):
    approval_request = make_request()
    services.approval_request_decline(approval_request_id=approval_request.pk, actor=team.approver)
    approval_request.refresh_from_db()
    assert rules.can_decide(team.approver, approval_request) == (
        "This request is declined: it cannot be decided now."
    )


def test_only_hiring_managers_of_a_company_with_approvals_may_create_requests(team):
    assert rules.can_create_request(team.manager) is None
    assert rules.can_create_request(team.approver).startswith("Only hiring managers")
    team.company.approvals_enabled = False
    team.company.save()
    team.manager.membership.company.refresh_from_db()
    assert rules.can_create_request(team.manager).startswith("Approvals are not enabled for Acme Test.")


def test_resubmit_is_offered_to_the_requester_of_a_declined_request_only(client, team, make_request):
    approval_request = make_request()
    services.approval_request_decline(approval_request_id=approval_request.pk, actor=team.approver)
    approval_request.refresh_from_db()
    assert rules.can_resubmit(team.manager, approval_request) is None
    assert rules.can_resubmit(team.approver, approval_request) is not None

    url = reverse("approvals:detail", args=[approval_request.pk])
    client.force_login(team.manager)
    assert "Resubmit" in client.get(url).content.decode()
    client.force_login(team.approver)
    page = client.get(url).content.decode()
    assert approval_request.title in page
    assert "Resubmit" not in page
    assert client.get(reverse("approvals:resubmit", args=[approval_request.pk])).status_code == 404


def test_send_the_offer_is_shown_to_the_requester_of_a_usable_approval_only(client, team, make_request):
    approval_request = make_request(title="Data engineer")
    services.approval_request_approve(approval_request_id=approval_request.pk, actor=team.approver)
    approval_request.refresh_from_db()
    url = reverse("approvals:detail", args=[approval_request.pk])
    client.force_login(team.manager)
    assert "Send the offer" in client.get(url).content.decode()
    client.force_login(team.approver)
    page = client.get(url).content.decode()
    assert "Data engineer" in page and "Send the offer" not in page
    with pytest.raises(services.ApprovalError, match="Only the hiring manager who requested"):
        services.approval_request_consume(approval_request=approval_request, actor=team.approver)

    move_past_expiry(approval_request)
    client.force_login(team.manager)
    page = client.get(url).content.decode()
    assert "Data engineer" in page and "Send the offer" not in page
    assert rules.can_use_for_offer(team.manager, approval_request) == "This request has expired."
