"""Declining and withdrawing an offer are confirmed once; without JavaScript by a page."""

import pytest
from django.urls import reverse

from tests.factories import sent_offer

pytestmark = pytest.mark.django_db


@pytest.fixture
def offer(manager, approval):
    return sent_offer(sent_by=manager, approval_request=approval, title="Django work")


def _state(offer):
    offer.refresh_from_db()
    return offer.state


def test_decline_without_confirm_restates_and_keeps_the_reason(client, offer, talent):
    client.force_login(talent)
    url = reverse("offers:offer_decline", args=[offer.pk])
    response = client.post(url, {"reason": "Booked until May"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Decline this offer?" in page and "“Django work” from Acme Test" in page
    assert '<input type="hidden" name="reason" value="Booked until May">' in page
    assert '<input type="hidden" name="confirm" value="yes">' in page and "Yes, decline" in page
    assert f'href="{reverse("offers:offer_detail", args=[offer.pk])}">Cancel</a>' in page
    assert _state(offer) == "sent"
    client.post(url, {"reason": "Booked until May", "confirm": "yes"})
    assert _state(offer) == "declined" and offer.decline_reason == "Booked until May"


def test_withdraw_without_confirm_asks_then_withdraws(client, offer, manager):
    client.force_login(manager)
    url = reverse("offers:offer_withdraw", args=[offer.pk])
    response = client.post(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Withdraw this offer?" in page and "Ada Lovelace" in page and "Yes, withdraw" in page
    assert '<input type="hidden" name="confirm" value="yes">' in page
    assert _state(offer) == "sent"
    assert client.post(url, {"confirm": "yes"}).status_code == 302
    assert _state(offer) == "withdrawn"


def test_offer_page_forms_ask_with_javascript(client, offer, talent):
    client.force_login(talent)
    page = client.get(reverse("offers:offer_detail", args=[offer.pk])).content.decode()
    assert 'data-confirm="Decline this offer from Acme Test?' in page
