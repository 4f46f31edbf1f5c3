"""Accept binds to the terms the freelancer saw: if the client modified the offer after the
freelancer opened it, Accept is refused and the page shows the new revision, instead of making
a contract on terms the freelancer never read."""

from decimal import Decimal

import pytest
from django.urls import reverse

from offers.models import Offer
from offers.services import offer_modify
from tests.factories import sent_offer

pytestmark = pytest.mark.django_db


@pytest.fixture
def offer(manager, approval):
    return sent_offer(sent_by=manager, approval_request=approval)


def _lower_the_rate(offer, manager, approval):
    terms = {name: getattr(offer, name) for name in
             ["title", "contract_type", "amount", "currency", "weekly_hour_limit", "start_date", "message"]}
    offer_modify(
        offer_id=offer.pk, modified_by=manager,
        confirmed_differences=[
            f"Amount: approved {approval.amount:,.2f} {approval.currency}, offer 10.00 {approval.currency}"
        ],
        **{**terms, "amount": Decimal("10.00")},
    )


def test_offer_page_accept_form_carries_the_revision_shown(client, offer, talent):
    client.force_login(talent)
    page = client.get(reverse("offers:offer_detail", args=[offer.pk])).content.decode()
    assert 'name="revision" value="1"' in page


def test_accepting_a_revision_the_client_has_since_changed_is_refused(
    client, offer, manager, talent, approval
):
    client.force_login(talent)
    _lower_the_rate(offer, manager, approval)  # while the freelancer reads revision 1
    response = client.post(reverse("offers:offer_accept", args=[offer.pk]), {"revision": "1"}, follow=True)
    offer.refresh_from_db()
    assert offer.state == Offer.State.SENT and offer.responded_at is None
    assert "changed this offer since you opened it" in response.content.decode()


def test_accepting_the_current_revision_makes_the_contract(client, offer, manager, talent, approval):
    _lower_the_rate(offer, manager, approval)
    client.force_login(talent)
    client.post(reverse("offers:offer_accept", args=[offer.pk]), {"revision": "2"})
    offer.refresh_from_db()
    assert offer.state == Offer.State.ACCEPTED
