"""A busy company's offer list counts each tab only as far as the cap ("1,000+"), and still
pages past it: the counts read at most cap + 1 index entries a tab, whatever the company holds."""

import pytest
from django.urls import reverse

from offers import selectors
from tests.factories import OfferFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cap(monkeypatch):
    monkeypatch.setattr(selectors, "COUNT_CAP", 3)
    return 3


def _tab_counts(response):
    return {tab["key"]: tab["count"] for tab in response.context["tabs"]}


def test_a_tab_past_the_cap_shows_the_cap_and_a_plus(client, manager, cap):
    OfferFactory.create_batch(5, company=manager.membership.company, created_by=manager)
    client.force_login(manager)
    response = client.get(reverse("offers:offer_list"), {"tab": "all"})
    counts = _tab_counts(response)
    assert counts["all"] == "3+"
    assert counts["sent"] == "3+"
    assert counts["accepted"] == 0
    assert '<span class="count">3+</span>' in response.content.decode()


def test_a_tab_within_the_cap_is_counted_exactly(client, manager, cap):
    OfferFactory.create_batch(3, company=manager.membership.company, created_by=manager)
    client.force_login(manager)
    response = client.get(reverse("offers:offer_list"), {"tab": "all"})
    assert _tab_counts(response)["all"] == 3
    assert response.context["page"].more is False


def test_pages_past_the_cap_are_reached_and_say_more_follow(client, manager, cap):
    company = manager.membership.company
    offers = OfferFactory.create_batch(45, company=company, created_by=manager)
    client.force_login(manager)
    url = reverse("offers:offer_list")
    first = client.get(url, {"tab": "all"})
    page = first.context["page"]
    # Counted to the cap: one page of 20 and the sign that more follow.
    assert (page.number, page.more, len(page.object_list)) == (1, True, 20)
    assert "Page 1 of 3+" in first.content.decode()
    second = client.get(url, {"tab": "all", "page": 2}).context["page"]
    assert second.number == 2 and len(second.object_list) == 20
    third = client.get(url, {"tab": "all", "page": 3}).context["page"]
    assert third.number == 3 and len(third.object_list) == 5 and third.more is False
    shown = [offer.pk for p in (page, second, third) for offer in p.object_list]
    assert sorted(shown) == sorted(offer.pk for offer in offers)
    # Read ids first (accounts.pagination.IdsFirst), the pages hold the list's rows in its order.
    rows, _ = selectors.offers_for_company(user=manager, tab="all")
    assert shown == [offer.pk for offer in rows]


def test_the_freelancer_list_counts_stop_at_the_cap_too(client, talent, cap):
    OfferFactory.create_batch(4, freelancer=talent)
    client.force_login(talent)
    response = client.get(reverse("offers:freelancer_offers"))
    assert _tab_counts(response)["all"] == "3+"
    assert len(response.context["page"].object_list) == 4


def test_the_counts_read_no_more_than_cap_plus_one_rows_a_tab(manager, cap):
    OfferFactory.create_batch(6, company=manager.membership.company, created_by=manager)
    _, counts = selectors.offers_for_company(user=manager, tab="all")
    assert counts == {"sent": 4, "accepted": 0, "declined": 0, "withdrawn": 0, "all": 4}


def _byo(talent, **kwargs):
    """A BYO offer sent to the freelancer's email before they had an account."""
    return OfferFactory(freelancer=None, freelancer_email=talent.email.upper(), offer_type="byo", **kwargs)


def test_the_freelancer_counts_add_up_their_own_offers_and_those_sent_to_their_email(talent):
    OfferFactory.create_batch(2, freelancer=talent)
    OfferFactory(freelancer=talent, state="accepted", title="Data pipeline")
    _byo(talent)
    _byo(talent, state="declined", title="Data audit")
    OfferFactory(title="Someone else's")
    _byo(OfferFactory().freelancer)
    rows, counts = selectors.offers_for_freelancer(user=talent)
    assert counts == {"sent": 3, "accepted": 1, "declined": 1, "withdrawn": 0, "all": 5}
    assert len(rows) == 5
    # A search narrows both.
    _, found = selectors.offers_for_freelancer(user=talent, search="data")
    assert found == {"sent": 0, "accepted": 1, "declined": 1, "withdrawn": 0, "all": 2}


def test_the_freelancer_counts_stop_at_the_cap_across_both_kinds_of_offer(talent, cap):
    OfferFactory.create_batch(2, freelancer=talent)
    _byo(talent)
    _byo(talent)
    _, counts = selectors.offers_for_freelancer(user=talent)
    assert counts["sent"] == counts["all"] == cap + 1
