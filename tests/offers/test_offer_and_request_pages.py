"""The offer page and the request page point at each other, and Request approval round-trips
through the real approvals form back to the offer with what the manager typed."""

from decimal import Decimal
from urllib.parse import parse_qs, urlparse

import pytest
from django.urls import reverse

from offers.models import Offer
from offers.services import offer_send, offer_withdraw
from tests.factories import JobFactory, offer_terms
from tests.offers.helpers import offer_post

pytestmark = pytest.mark.django_db


def test_request_page_shows_it_as_used_with_a_link_to_the_offer(client, manager, approval):
    offer = offer_send(sent_by=manager, **offer_terms(approval))
    client.force_login(manager)
    html = client.get(reverse("approvals:detail", args=[approval.pk])).content.decode()
    assert "Used" in html
    assert reverse("offers:offer_detail", args=[offer.pk]) in html
    assert offer.title in html


def test_approver_also_sees_the_offer_on_the_request_page(client, manager, boss, approval):
    offer = offer_send(sent_by=manager, **offer_terms(approval))
    client.force_login(boss)
    html = client.get(reverse("approvals:detail", args=[approval.pk])).content.decode()
    assert reverse("offers:offer_detail", args=[offer.pk]) in html


def test_offer_page_links_to_the_request_it_uses(client, manager, approval):
    offer = offer_send(sent_by=manager, **offer_terms(approval))
    client.force_login(manager)
    html = client.get(reverse("offers:offer_detail", args=[offer.pk])).content.decode()
    assert reverse("approvals:detail", args=[approval.pk]) in html


def test_request_page_after_withdrawal_shows_it_approved_again(client, manager, approval):
    offer = offer_send(sent_by=manager, **offer_terms(approval))
    offer_withdraw(offer_id=offer.pk, withdrawn_by=manager)
    client.force_login(manager)
    html = client.get(reverse("approvals:detail", args=[approval.pk])).content.decode()
    assert "Withdrawn" in html  # the withdrawn offer stays in the request's history
    assert type(approval).objects.get(pk=approval.pk).state == "approved"


def test_request_approval_round_trip_keeps_what_the_manager_typed(client, company, manager, boss, talent):
    job = JobFactory(company=company, posted_by=manager, title="Billing platform")
    client.force_login(manager)
    typed = offer_post(freelancer=talent, job=job.pk, amount="92.50", message="Looking forward")

    to_form = client.post(reverse("offers:offer_create"), {**typed, "action": "request_approval"})
    assert to_form.status_code == 302
    form_page = client.get(to_form.url)
    assert form_page.status_code == 200
    html = form_page.content.decode()
    assert 'value="92.50"' in html and 'value="Senior Django developer"' in html

    params = {k: v[0] for k, v in parse_qs(urlparse(to_form.url).query, keep_blank_values=True).items()}
    params.update(approver=boss.pk, justification="Billing backfill")
    created = client.post(reverse("approvals:create"), params)
    assert created.status_code == 302
    back = urlparse(created.url)
    assert back.path == reverse("offers:offer_create")
    request_id = parse_qs(back.query)["approval_request"][0]
    assert manager.approval_requests_made.get(pk=request_id).amount == Decimal("92.50")

    offer_form = client.get(created.url).content.decode()
    assert "is pending with Alan Approver" in offer_form
    assert 'value="92.50"' in offer_form and "Looking forward" in offer_form
    assert not Offer.objects.exists()


def test_offer_page_shows_the_client_how_it_differs_from_its_approval(
    client, manager, boss, talent, approval
):
    """Differences confirmed with "Send anyway" stay visible to the company, not only at sending."""
    from offers.services import offer_approval_differences

    terms = offer_terms(approval, amount=Decimal("95.00"))
    seen = offer_approval_differences(
        approval_request=approval, **{k: terms[k] for k in [
            "offer_type", "freelancer", "contract_type", "amount", "currency", "weekly_hour_limit",
            "start_date",
        ]},
    )
    offer = offer_send(sent_by=manager, confirmed_differences=seen, **terms)
    url = reverse("offers:offer_detail", args=[offer.pk])
    for viewer in (manager, boss):
        client.force_login(viewer)
        html = client.get(url).content.decode()
        assert "Sent on terms that differ from the approval" in html
        assert "Amount: approved 85.00 USD, offer 95.00 USD" in html
    client.force_login(talent)  # the freelancer is not shown the company's internal approval
    html = client.get(url).content.decode()
    assert "differ from the approval" not in html and "approved 85.00" not in html


def test_offer_on_the_approved_terms_shows_no_differences(client, manager, approval):
    offer = offer_send(sent_by=manager, **offer_terms(approval))
    client.force_login(manager)
    html = client.get(reverse("offers:offer_detail", args=[offer.pk])).content.decode()
    # The offer and the approval it used, without a differences notice.
    assert offer.title in html and "Alan Approver" in html
    assert f'href="{reverse("approvals:detail", args=[approval.pk])}"' in html
    assert "differ from the approval" not in html
