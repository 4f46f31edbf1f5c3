"""Each offer rule is one function: the page shows the buttons it allows, and the service
refuses everyone else with the same rule's message."""

import pytest
from django.urls import reverse

from offers import rules, services
from offers.models import Offer
from tests.factories import approver, freelancer, sent_offer
from tests.offers.helpers import modify_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def offer(manager, approval):
    return sent_offer(sent_by=manager, approval_request=approval)


def _page(client, user, offer):
    client.force_login(user)
    return client.get(reverse("offers:offer_detail", args=[offer.pk])).content.decode()


def test_modify_and_withdraw_are_shown_to_the_sender_only(client, company, manager, offer):
    colleague = approver(company, full_name="Colleague")
    page = _page(client, manager, offer)
    assert "Modify offer" in page and "Withdraw offer" in page

    page = _page(client, colleague, offer)
    assert offer.title in page
    assert "Modify offer" not in page and "Withdraw offer" not in page
    refusal = "Only the hiring manager who sent this offer can change or withdraw it."
    assert rules.can_modify(colleague, offer) == rules.can_withdraw(colleague, offer) == refusal
    with pytest.raises(services.OfferError, match=refusal):
        services.offer_withdraw(offer_id=offer.pk, withdrawn_by=colleague)
    response = client.post(
        reverse("offers:offer_modify", args=[offer.pk]), modify_post(offer, amount="90.00"), follow=True
    )
    assert refusal in response.content.decode()
    offer.refresh_from_db()
    assert offer.state == Offer.State.SENT and offer.revision == 1


def test_accept_and_decline_are_shown_to_the_addressee_only(client, talent, offer):
    page = _page(client, talent, offer)
    assert "Accept offer" in page and "Decline offer" in page

    stranger = freelancer()
    refusal = "Only the freelancer this offer is addressed to can answer it."
    assert rules.can_accept(stranger, offer) == rules.can_decline(stranger, offer) == refusal
    with pytest.raises(services.OfferError, match="addressed to"):
        services.offer_accept(offer_id=offer.pk, freelancer=stranger)
    with pytest.raises(services.OfferError, match="addressed to"):
        services.offer_decline(offer_id=offer.pk, freelancer=stranger, reason="No.")


def test_a_withdrawn_offer_shows_no_actions_and_refuses_them_with_its_state(client, manager, talent, offer):
    services.offer_withdraw(offer_id=offer.pk, withdrawn_by=manager)
    offer.refresh_from_db()
    page = _page(client, manager, offer)
    assert "Withdrawn by Acme Test" in page
    assert "Modify offer" not in page and "Withdraw offer" not in page
    page = _page(client, talent, offer)
    assert "Withdrawn by Acme Test" in page
    assert "Accept offer" not in page and "Decline offer" not in page
    refusal = "This offer was already withdrawn: it can no longer be accepted."
    assert rules.can_accept(talent, offer) == refusal
    with pytest.raises(services.OfferError, match="already withdrawn: it can no longer be accepted"):
        services.offer_accept(offer_id=offer.pk, freelancer=talent)


def test_only_hiring_managers_may_send_offers(client, boss):
    assert rules.can_send_offer(boss) == "Only hiring managers can send offers."
    client.force_login(boss)
    response = client.get(reverse("offers:offer_create"), follow=True)
    assert "Only hiring managers can send offers." in response.content.decode()
    with pytest.raises(services.OfferError, match="Only hiring managers can send offers."):
        services.offer_send(
            sent_by=boss, offer_type="direct", job=None, freelancer=None, freelancer_email="x@y.test",
            title="X", contract_type="fixed", amount=1, currency="USD", weekly_hour_limit=None,
            start_date=None,
        )


def test_the_offer_list_offers_send_an_offer_to_hiring_managers_only(client, manager, boss):
    client.force_login(manager)
    assert "Send an offer" in client.get(reverse("offers:offer_list")).content.decode()
    client.force_login(boss)
    page = client.get(reverse("offers:offer_list")).content.decode()
    assert "No offers yet." in page
    assert "Send an offer" not in page
