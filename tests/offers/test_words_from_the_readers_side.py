"""Pages speak from the reader's side: a freelancer reads their own answers as "You ...";
the request page shows the live offer apart from earlier ones; no repeated contract rows."""

import pytest
from django.urls import reverse

from offers.services import offer_accept, offer_decline, offer_withdraw
from tests.factories import sent_offer

pytestmark = pytest.mark.django_db


def _badges(html):
    return [part.split("</span>")[0].split(">", 1)[1] for part in html.split('<span class="badge ')[1:]]


def test_freelancer_reads_their_offers_as_awaiting_their_answer_or_their_answer(
    client, manager, approval, talent
):
    waiting = sent_offer(sent_by=manager, approval_request=approval, title="Waiting offer")
    client.force_login(talent)
    page = client.get(reverse("offers:freelancer_offers")).content.decode()
    assert _badges(page) == ["Awaiting your answer"]
    page = client.get(reverse("offers:offer_detail", args=[waiting.pk])).content.decode()
    assert "Awaiting your answer" in page and ">Sent<" not in page

    offer_decline(offer_id=waiting.pk, freelancer=talent, reason="Booked until May")
    page = client.get(reverse("offers:offer_detail", args=[waiting.pk])).content.decode()
    assert "You declined" in page and "Your reason: Booked until May" in page
    assert "Declined by the freelancer" not in page and ">Declined<" not in page
    assert _badges(client.get(reverse("offers:freelancer_offers")).content.decode()) == ["You declined"]


def test_freelancer_reads_an_accepted_offer_as_you_accepted(client, manager, approval, talent):
    offer = sent_offer(sent_by=manager, approval_request=approval)
    offer_accept(offer_id=offer.pk, freelancer=talent)
    client.force_login(talent)
    page = client.get(reverse("offers:offer_detail", args=[offer.pk])).content.decode()
    assert _badges(page) == ["You accepted"] and "You accepted" in page.split('class="notice"')[1]


def test_client_still_reads_declined_by_the_freelancer(client, manager, approval, talent):
    offer = sent_offer(sent_by=manager, approval_request=approval)
    offer_decline(offer_id=offer.pk, freelancer=talent, reason="Booked")
    client.force_login(manager)
    page = client.get(reverse("offers:offer_detail", args=[offer.pk])).content.decode()
    assert "Declined by the freelancer" in page and "You declined" not in page


def test_fixed_price_offer_says_fixed_price_once_per_terms(client, manager, approval, talent):
    approval.contract_type, approval.weekly_hour_limit = "fixed", None
    approval.save()
    offer = sent_offer(sent_by=manager, approval_request=approval)
    client.force_login(talent)
    page = client.get(reverse("offers:offer_detail", args=[offer.pk])).content.decode()
    # Once in the terms and once in revision 1 of the change history: never twice in one list.
    assert page.count("Fixed price") == 2
    assert "<dt>Contract</dt><dd>Fixed price</dd>\n<dt>Price</dt>" in page


def test_request_page_shows_the_live_offer_and_earlier_ones_apart(client, manager, approval, talent):
    first = sent_offer(sent_by=manager, approval_request=approval, title="First try")
    offer_withdraw(offer_id=first.pk, withdrawn_by=manager)
    live = sent_offer(sent_by=manager, approval_request=approval, title="Second try")
    client.force_login(manager)
    page = client.get(reverse("approvals:detail", args=[approval.pk])).content.decode()
    section = page.split('<section class="approval-offers">')[1].split("</section>")[0]
    using, earlier = section.split("Earlier offers with this approval")
    assert "Second try" in using and "First try" not in using
    assert "First try" in earlier and "Withdrawn" in earlier and "Second try" not in earlier
    assert reverse("offers:offer_detail", args=[live.pk]) in using
