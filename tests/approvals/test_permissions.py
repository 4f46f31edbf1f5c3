"""Who sees and decides a request: requester, approver, other member, other company, anonymous."""

import re

import pytest
from django.urls import reverse

from approvals import services
from approvals.models import State

pytestmark = pytest.mark.django_db


@pytest.fixture
def approval_request(make_request):
    return make_request(title="Senior Django developer")


@pytest.mark.parametrize("who, status", [
    ("manager", 200), ("approver", 200), ("member", 404), ("outsider", 404),
    ("outside_approver", 404),
])
def test_request_page_is_visible_to_requester_and_approver_only(client, team, approval_request, who,
                                                                 status):
    client.force_login(getattr(team, who))
    response = client.get(reverse("approvals:detail", args=[approval_request.pk]))
    assert response.status_code == status


def test_request_page_asks_anonymous_visitors_to_sign_in(client, approval_request):
    response = client.get(reverse("approvals:detail", args=[approval_request.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_freelancer_gets_404_on_approval_pages(client, team, approval_request):
    client.force_login(team.freelancer)
    assert client.get(reverse("approvals:dashboard")).status_code == 404
    assert client.get(reverse("approvals:detail", args=[approval_request.pk])).status_code == 404


@pytest.mark.parametrize("who, status", [
    ("manager", 302), ("member", 404), ("outsider", 404), ("outside_approver", 404),
])
def test_only_the_approver_can_decide(client, team, approval_request, who, status):
    client.force_login(getattr(team, who))
    response = client.post(
        reverse("approvals:decide", args=[approval_request.pk]), {"decision": "approve"}
    )
    assert response.status_code == status
    approval_request.refresh_from_db()
    assert approval_request.state == State.PENDING


def test_requester_is_told_they_cannot_decide(client, team, approval_request):
    client.force_login(team.manager)
    response = client.post(
        reverse("approvals:decide", args=[approval_request.pk]), {"decision": "approve"}, follow=True
    )
    assert "You cannot decide your own request." in response.content.decode()


def test_anonymous_cannot_decide(client, approval_request):
    response = client.post(
        reverse("approvals:decide", args=[approval_request.pk]), {"decision": "approve"}
    )
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    approval_request.refresh_from_db()
    assert approval_request.state == State.PENDING


def test_approver_approves_from_the_request_page_with_a_comment(client, team, approval_request):
    client.force_login(team.approver)
    response = client.post(
        reverse("approvals:decide", args=[approval_request.pk]),
        {"decision": "approve", "comment": "Go ahead."}, follow=True,
    )
    approval_request.refresh_from_db()
    assert approval_request.state == State.APPROVED
    assert approval_request.decision_comment == "Go ahead."
    page = response.content.decode()
    assert "Request approved." in page and "Go ahead." in page


def test_approver_declines_from_the_request_page(client, team, approval_request):
    client.force_login(team.approver)
    client.post(
        reverse("approvals:decide", args=[approval_request.pk]), {"decision": "decline", "confirm": "yes"}
    )
    approval_request.refresh_from_db()
    assert approval_request.state == State.DECLINED


def test_decide_rejects_get(client, team, approval_request):
    client.force_login(team.approver)
    response = client.get(reverse("approvals:decide", args=[approval_request.pk]))
    assert response.status_code == 405


def test_unknown_decision_changes_nothing(client, team, approval_request):
    client.force_login(team.approver)
    response = client.post(
        reverse("approvals:decide", args=[approval_request.pk]), {"decision": "maybe"}, follow=True
    )
    assert "Choose Approve or Decline" in response.content.decode()
    approval_request.refresh_from_db()
    assert approval_request.state == State.PENDING


def test_decision_buttons_show_for_the_approver_only(client, team, approval_request):
    client.force_login(team.approver)
    page = client.get(reverse("approvals:detail", args=[approval_request.pk])).content.decode()
    assert 'value="approve"' in page and 'value="decline"' in page
    client.force_login(team.manager)
    page = client.get(reverse("approvals:detail", args=[approval_request.pk])).content.decode()
    assert 'value="approve"' not in page
    assert "Waiting for Alan Approver to decide." in page


def test_request_page_shows_details_approver_and_timeline(client, team, approval_request):
    client.force_login(team.approver)
    client.post(
        reverse("approvals:decide", args=[approval_request.pk]),
        {"decision": "decline", "comment": "Too expensive.", "confirm": "yes"},
    )
    client.force_login(team.manager)
    page = client.get(reverse("approvals:detail", args=[approval_request.pk])).content.decode()
    for text in ("Senior Django developer", "Ada Lovelace", "85.00 USD", "Alan Approver",
                 "Requested", "Pending → Declined", "Too expensive.", "Resubmit"):
        assert text in page, text
    # Times on the page say their zone, the timeline's as well as the expiry's.
    assert re.search(
        r'Pending → Declined</strong>\s+by Alan Approver\s+<span class="meta">[^<]+ UTC</span>', page
    )
    # A declined request can never back an offer: no "Send offer", no empty offer section.
    assert "No offer uses this approval yet" not in page and "Send the offer" not in page


def test_too_long_comment_is_shown_again_and_changes_nothing(client, team, approval_request):
    client.force_login(team.approver)
    comment = "Too long. " * 250
    response = client.post(
        reverse("approvals:decide", args=[approval_request.pk]),
        {"decision": "approve", "comment": comment},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Ensure this value has at most 2000 characters" in page
    assert comment.strip() in page  # what was typed is still in the textarea
    approval_request.refresh_from_db()
    assert approval_request.state == State.PENDING
    assert approval_request.transitions.count() == 1


def test_requester_can_send_an_offer_from_an_approved_request(client, team, approval_request):
    services.approval_request_approve(approval_request_id=approval_request.pk, actor=team.approver)
    client.force_login(team.manager)
    page = client.get(reverse("approvals:detail", args=[approval_request.pk])).content.decode()
    send_url = f'{reverse("offers:offer_create")}?approval_request={approval_request.pk}'
    assert send_url in page and "No offer uses this approval yet" in page
    offer_form = client.get(send_url)
    assert offer_form.status_code == 200
    assert offer_form.context["form"].initial["approval_request"] == approval_request.pk
    client.force_login(team.approver)
    page = client.get(reverse("approvals:detail", args=[approval_request.pk])).content.decode()
    assert send_url not in page


def test_member_of_a_company_without_approvals_is_told_plainly(client, team):
    team.company.approvals_enabled = False
    team.company.save()
    client.force_login(team.manager)
    for name, status in (("approvals:dashboard", 200), ("approvals:create", 403)):
        response = client.get(reverse(name))
        assert response.status_code == status
        assert "Approvals are not enabled for Acme Test." in response.content.decode()


def test_member_without_a_role_is_told_plainly(client, team):
    client.force_login(team.member)
    response = client.get(reverse("approvals:dashboard"))
    assert response.status_code == 200
    assert "neither a hiring manager nor an approver" in response.content.decode()
    assert "Create Request" not in response.content.decode()


def test_approver_without_the_manager_role_cannot_create(client, team):
    client.force_login(team.approver)
    response = client.get(reverse("approvals:create"))
    assert response.status_code == 403
    assert "Only hiring managers can create approval requests." in response.content.decode()


def test_request_page_runs_a_fixed_number_of_queries(
    client, team, make_request, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from approvals.models import ApprovalTransition

    approval_request = make_request()
    client.force_login(team.manager)
    url = reverse("approvals:detail", args=[approval_request.pk])
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    ApprovalTransition.objects.bulk_create([
        ApprovalTransition(request=approval_request, actor=team.approver, name="note",
                           source_state="pending", target_state="pending")
        for _ in range(30)
    ])
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_approving_a_request_that_does_not_exist_answers_404(client, team, approval_request):
    client.force_login(team.approver)
    missing = reverse("approvals:decide", args=[approval_request.pk + 1000])
    response = client.post(missing, {"decision": "approve"})
    assert response.status_code == 404
    approval_request.refresh_from_db()
    assert approval_request.state == State.PENDING
