"""The offer message typed before "Request approval" comes back when the manager follows the
approved email's link, or the request page's "Send the offer", after the approver decides."""

import re
from urllib.parse import parse_qs, urlparse

import pytest
from django.urls import reverse

from approvals import services as approval_services
from approvals.models import ApprovalRequest
from offers.models import Offer
from tests.offers.helpers import offer_post

pytestmark = pytest.mark.django_db
NEW = reverse("offers:offer_create")
MESSAGE = "Dear Ada, the team meets on Mondays at 10:00."


def _request_approval_then_get_approved(client, manager, boss, talent, mailoutbox, capture):
    client.force_login(manager)
    typed = offer_post(freelancer=talent, message=MESSAGE)
    to_form = client.post(NEW, {**typed, "action": "request_approval"})
    params = {key: values[0] for key, values in parse_qs(urlparse(to_form.url).query).items()}
    created = client.post(reverse("approvals:create"), {
        **params, "approver": boss.pk, "justification": "Backfill", "weekly_hour_limit": "30",
    })
    assert created.status_code == 302
    back_on_the_form = client.get(created.url)  # the manager comes back to the offer form
    assert back_on_the_form.context["form"].initial["message"] == MESSAGE
    approval_request = ApprovalRequest.objects.get()
    mailoutbox.clear()
    with capture(execute=True):
        approval_services.approval_request_approve(approval_request_id=approval_request.pk, actor=boss)
    return approval_request


def test_the_approved_emails_link_brings_the_message_back(
    client, manager, boss, talent, mailoutbox, django_capture_on_commit_callbacks
):
    approval_request = _request_approval_then_get_approved(
        client, manager, boss, talent, mailoutbox, django_capture_on_commit_callbacks
    )
    [email] = [m for m in mailoutbox if m.to == [manager.email]]
    link = re.search(r"https?://\S+/offers/new/\?approval_request=\d+", email.body).group(0)
    response = client.get(urlparse(link).path + "?" + urlparse(link).query)
    form = response.context["form"]
    assert form.initial["message"] == MESSAGE
    assert form.initial["approval_request"] == approval_request.pk
    assert MESSAGE in response.content.decode()

    # Sending it sends the message typed before "Request approval".
    data = offer_post(freelancer=talent, approval=approval_request, message=form.initial["message"])
    assert client.post(NEW, data).status_code == 302
    assert Offer.objects.get().message == MESSAGE


def test_the_request_pages_send_the_offer_brings_the_message_back(
    client, manager, boss, talent, mailoutbox, django_capture_on_commit_callbacks
):
    approval_request = _request_approval_then_get_approved(
        client, manager, boss, talent, mailoutbox, django_capture_on_commit_callbacks
    )
    page = client.get(reverse("approvals:detail", args=[approval_request.pk])).content.decode()
    send_url = f"{NEW}?approval_request={approval_request.pk}"
    assert send_url in page
    form = client.get(send_url).context["form"]
    assert form.initial["message"] == MESSAGE and form.initial["amount"] == approval_request.amount


def test_another_managers_session_gets_only_the_approved_terms(
    client, manager, boss, talent, mailoutbox, django_capture_on_commit_callbacks
):
    approval_request = _request_approval_then_get_approved(
        client, manager, boss, talent, mailoutbox, django_capture_on_commit_callbacks
    )
    client.logout()
    client.force_login(manager)  # a new session: another browser
    form = client.get(f"{NEW}?approval_request={approval_request.pk}").context["form"]
    assert "message" not in form.initial and form.initial["title"] == approval_request.title
