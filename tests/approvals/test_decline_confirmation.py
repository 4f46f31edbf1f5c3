"""Declining a request is confirmed once: without JavaScript by a page that posts everything
again with confirm=yes; approving stays one click."""

import pytest
from django.urls import reverse

from approvals.models import State
from approvals.tokens import make_decision_token

pytestmark = pytest.mark.django_db


def _hidden(name, value):
    return f'<input type="hidden" name="{name}" value="{value}">'


def test_decline_without_confirm_shows_a_confirmation_page_and_changes_nothing(client, team, make_request):
    approval_request = make_request(title="Senior Django developer")
    client.force_login(team.approver)
    url = reverse("approvals:decide", args=[approval_request.pk])
    response = client.post(url, {"decision": "decline", "comment": "Over budget."})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Decline this request?" in page and "Senior Django developer" in page
    assert "Over budget." in page  # restated
    assert _hidden("decision", "decline") in page and _hidden("comment", "Over budget.") in page
    assert _hidden("confirm", "yes") in page
    assert f'action="{url}"' in page and "Yes, decline" in page
    assert f'href="{reverse("approvals:detail", args=[approval_request.pk])}">Cancel</a>' in page
    approval_request.refresh_from_db()
    assert approval_request.state == State.PENDING


def test_decline_with_confirm_declines(client, team, make_request):
    approval_request = make_request()
    client.force_login(team.approver)
    response = client.post(
        reverse("approvals:decide", args=[approval_request.pk]),
        {"decision": "decline", "comment": "Over budget.", "confirm": "yes"},
    )
    assert response.status_code == 302
    approval_request.refresh_from_db()
    assert approval_request.state == State.DECLINED and approval_request.decision_comment == "Over budget."


def test_approve_stays_one_click(client, team, make_request):
    approval_request = make_request()
    client.force_login(team.approver)
    response = client.post(reverse("approvals:decide", args=[approval_request.pk]), {"decision": "approve"})
    assert response.status_code == 302
    approval_request.refresh_from_db()
    assert approval_request.state == State.APPROVED


def test_decline_button_asks_with_javascript(client, team, make_request):
    approval_request = make_request()
    client.force_login(team.approver)
    page = client.get(reverse("approvals:detail", args=[approval_request.pk])).content.decode()
    assert 'value="decline" class="danger" data-confirm="Decline this request?' in page


def test_email_link_decline_confirms_first(client, make_request):
    approval_request = make_request(title="Senior Django developer")
    url = reverse("approvals:email_decision", args=[
        make_decision_token(approval_request=approval_request, action="decline")
    ])
    assert "data-confirm=" in client.get(url).content.decode()
    response = client.post(url, {"comment": "Not now."})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Decline this request?" in page and _hidden("comment", "Not now.") in page
    assert _hidden("confirm", "yes") in page and f'href="{url}">Cancel</a>' in page
    approval_request.refresh_from_db()
    assert approval_request.state == State.PENDING

    client.post(url, {"comment": "Not now.", "confirm": "yes"})
    approval_request.refresh_from_db()
    assert approval_request.state == State.DECLINED and approval_request.decision_comment == "Not now."


def test_email_link_approve_stays_one_click(client, make_request):
    approval_request = make_request()
    url = reverse("approvals:email_decision", args=[
        make_decision_token(approval_request=approval_request, action="approve")
    ])
    client.post(url, {"comment": ""})
    approval_request.refresh_from_db()
    assert approval_request.state == State.APPROVED


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_with_javascript_the_decline_button_asks_once_and_approve_does_not(page, sign_in, password):
    from tests.factories import approver, freelancer, hiring_manager, pending_request

    manager = hiring_manager(full_name="Maria Manager")
    boss = approver(manager.membership.company, email="alan@acme.test", full_name="Alan Approver")
    approval_request = pending_request(
        requester=manager, approver=boss, freelancer=freelancer(user__full_name="Ada Lovelace")
    )
    sign_in("alan@acme.test", password)
    page.goto(reverse("approvals:detail", args=[approval_request.pk]))
    dialogs = []
    page.once("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.get_by_role("button", name="Decline").click()
    approval_request.refresh_from_db()
    assert approval_request.state == State.PENDING  # dismissed: nothing sent

    page.once("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.accept()))
    page.get_by_label("Comment (optional)").fill("Over budget.")
    page.get_by_role("button", name="Decline").click()
    page.wait_for_load_state()
    assert "Request declined." in page.content() and "Yes, decline" not in page.content()
    assert dialogs == ["Decline this request? A declined request cannot be approved later."] * 2
    approval_request.refresh_from_db()
    assert approval_request.state == State.DECLINED and approval_request.decision_comment == "Over budget."
