"""One-click decision links: GET shows and changes nothing, POST acts; bad links are clear."""

import pytest
from django.core import signing
from django.urls import reverse

from approvals import services
from approvals.models import ApprovalTransition, State
from approvals.tokens import SALT, make_decision_token
from tests.factories import approver, move_past_expiry

pytestmark = pytest.mark.django_db


def _url(approval_request, action="approve"):
    token = make_decision_token(approval_request=approval_request, action=action)
    return reverse("approvals:email_decision", args=[token])


def _log_count(approval_request):
    return ApprovalTransition.objects.filter(request=approval_request).count()


def test_link_get_shows_the_request_and_a_confirm_button_without_changing_it(client, make_request):
    approval_request = make_request(title="Senior Django developer")
    response = client.get(_url(approval_request))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Senior Django developer" in page and "Ada Lovelace" in page
    assert "Confirm: Approve" in page
    approval_request.refresh_from_db()
    assert approval_request.state == State.PENDING
    assert _log_count(approval_request) == 1


def test_decline_link_page_says_it_will_decline(client, make_request):
    page = client.get(_url(make_request(), "decline")).content.decode()
    assert "confirm below to decline it" in page and "Confirm: Decline" in page
    assert "Confirm: Approve" not in page


@pytest.mark.parametrize("comment, message", [
    ("Too long. " * 250, "Ensure this value has at most 2000 characters"),
    ("Fine\x00by me", "Null characters are not allowed."),
])
def test_link_post_with_a_refused_comment_keeps_it_and_changes_nothing(client, make_request, comment,
                                                                        message):
    approval_request = make_request()
    response = client.post(_url(approval_request), {"comment": comment})
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page and "Confirm: Approve" in page
    if "\x00" not in comment:
        assert comment.strip() in page
    approval_request.refresh_from_db()
    assert approval_request.state == State.PENDING
    assert _log_count(approval_request) == 1


def test_link_head_and_repeated_gets_change_nothing(client, make_request):
    approval_request = make_request()
    url = _url(approval_request, "decline")
    for _ in range(3):
        client.get(url)
    client.head(url)
    approval_request.refresh_from_db()
    assert approval_request.state == State.PENDING


def test_link_post_approves_without_signing_in(
    client, team, make_request, mailoutbox, django_capture_on_commit_callbacks
):
    approval_request = make_request(title="Data engineer")
    url = _url(approval_request)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"comment": "Looks right."}, follow=True)
    approval_request.refresh_from_db()
    assert approval_request.state == State.APPROVED
    assert approval_request.decision_comment == "Looks right."
    log = approval_request.transitions.last()
    assert (log.actor, log.name) == (team.approver, "approve")
    page = response.content.decode()
    assert "Done: you approved “Data engineer”." in page
    # The page after confirming says what the approver did, not that something went wrong.
    assert "You approved this request on" in page and "no longer waiting" not in page
    assert [m.to for m in mailoutbox] == [["maria@acme.test"]]


def test_decline_link_declines(client, make_request):
    approval_request = make_request()
    client.post(_url(approval_request, "decline"), {"confirm": "yes"})
    approval_request.refresh_from_db()
    assert approval_request.state == State.DECLINED


def test_link_works_when_the_approver_is_signed_in(client, team, make_request):
    approval_request = make_request()
    client.force_login(team.approver)
    assert "Confirm: Approve" in client.get(_url(approval_request)).content.decode()
    client.post(_url(approval_request))
    approval_request.refresh_from_db()
    assert approval_request.state == State.APPROVED


@pytest.mark.parametrize("who", ["manager", "member", "outsider"])
def test_link_refuses_when_someone_else_is_signed_in(client, team, make_request, who):
    approval_request = make_request()
    client.force_login(getattr(team, who))
    url = _url(approval_request)
    response = client.get(url)
    assert response.status_code == 403
    assert "This link is for someone else" in response.content.decode()
    response = client.post(url)
    assert response.status_code == 403
    approval_request.refresh_from_db()
    assert approval_request.state == State.PENDING


def test_used_link_shows_the_current_state(client, make_request):
    approval_request = make_request()
    url = _url(approval_request)
    client.post(_url(approval_request, "decline"), {"confirm": "yes"})
    for method in (client.get, client.post):
        response = method(url)
        assert response.status_code in (200, 302)
        page = client.get(url).content.decode()
        assert "You declined this request on" in page
        assert "Confirm" not in page
    approval_request.refresh_from_db()
    assert approval_request.state == State.DECLINED
    assert _log_count(approval_request) == 2


def test_expired_link_shows_a_clear_page_and_changes_nothing(client, make_request):
    approval_request = make_request()
    url = _url(approval_request)
    move_past_expiry(approval_request)
    response = client.get(url)
    assert response.status_code == 200
    assert "This link has expired" in response.content.decode()
    client.post(url)
    approval_request.refresh_from_db()
    assert approval_request.state == State.PENDING


def test_link_signed_with_an_older_expiry_stops_working_when_its_time_passes(client, make_request):
    approval_request = make_request()
    move_past_expiry(approval_request)
    url = _url(approval_request)  # token carries a past expiry
    approval_request.expires_at = approval_request.expires_at.replace(year=2100)
    approval_request.save(update_fields=["expires_at"])
    assert "This link has expired" in client.get(url).content.decode()


@pytest.mark.parametrize("mangle", [
    lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"),
    lambda t: "x" + t,
    lambda t: "not-a-token",
    lambda t: t.split(":")[0],
])
def test_tampered_link_shows_a_clear_page_and_no_request(client, make_request, mangle):
    approval_request = make_request(title="Secret project")
    token = make_decision_token(approval_request=approval_request, action="approve")
    url = reverse("approvals:email_decision", args=[mangle(token)])
    for method in (client.get, client.post):
        response = method(url)
        assert response.status_code == 400
        page = response.content.decode()
        assert "This link is not valid" in page and "Secret project" not in page
    approval_request.refresh_from_db()
    assert approval_request.state == State.PENDING


def test_token_for_another_approver_or_action_is_invalid(client, team, make_request):
    approval_request = make_request()
    other = approver(team.company)
    forged = signing.dumps({"r": approval_request.pk, "u": other.pk, "a": "approve", "e": 9999999999},
                           salt=SALT)
    assert client.get(reverse("approvals:email_decision", args=[forged])).status_code == 400
    wrong_action = signing.dumps(
        {"r": approval_request.pk, "u": team.approver.pk, "a": "delete", "e": 9999999999}, salt=SALT
    )
    assert client.post(reverse("approvals:email_decision", args=[wrong_action])).status_code == 400
    other_salt = signing.dumps(
        {"r": approval_request.pk, "u": team.approver.pk, "a": "approve", "e": 9999999999}
    )
    assert client.post(reverse("approvals:email_decision", args=[other_salt])).status_code == 400
    approval_request.refresh_from_db()
    assert approval_request.state == State.PENDING


def test_link_after_the_approver_lost_the_role_is_refused_clearly(client, team, make_request):
    approval_request = make_request()
    team.approver.membership.is_approver = False
    team.approver.membership.save()
    response = client.post(_url(approval_request), follow=True)
    assert "You no longer hold the approver role" in response.content.decode()
    approval_request.refresh_from_db()
    assert approval_request.state == State.PENDING


def test_link_for_a_request_decided_from_the_page_shows_its_state(client, team, make_request):
    approval_request = make_request()
    url = _url(approval_request, "decline")
    services.approval_request_approve(approval_request_id=approval_request.pk, actor=team.approver)
    page = client.get(url).content.decode()
    assert "You approved this request on" in page and "Confirm" not in page


def test_link_to_an_approval_since_used_says_both_what_was_decided_and_what_it_is_now(
    client, team, make_request
):
    approval_request = make_request()
    url = _url(approval_request)
    services.approval_request_approve(approval_request_id=approval_request.pk, actor=team.approver)
    approval_request.refresh_from_db()
    services.approval_request_consume(approval_request=approval_request, actor=team.manager)
    page = client.get(url).content.decode()
    assert "You approved this request on" in page and "it is now <strong>used</strong>" in page


def test_link_to_a_request_the_sweep_expired_shows_its_state(client, make_request):
    approval_request = make_request()
    url = _url(approval_request)
    move_past_expiry(approval_request)
    services.approval_requests_expire_stale()
    page = client.get(url).content.decode()
    assert "no longer waiting for a decision: it is now <strong>expired</strong>" in page
    assert "You approved" not in page
