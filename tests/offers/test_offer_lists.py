"""The offer lists: tabs by state with counts, search, pagination, and a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from offers.models import Offer
from tests.factories import OfferFactory, approved_request, freelancer, sent_offer

pytestmark = pytest.mark.django_db


def _queries(client, url, params=None):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(queries)


def _offers_with_approvals(company, manager, boss, count):
    for _ in range(count):
        talent = freelancer()
        approval = approved_request(company=company, requester=manager, approver=boss, freelancer=talent)
        sent_offer(sent_by=manager, approval_request=approval)


def test_client_offer_list_runs_the_same_queries_for_1_and_many_rows(
    client, company, manager, boss, django_assert_max_num_queries
):
    client.force_login(manager)
    url = reverse("offers:offer_list")
    _offers_with_approvals(company, manager, boss, 1)
    one = _queries(client, url)
    _offers_with_approvals(company, manager, boss, 29)
    with django_assert_max_num_queries(one):
        response = client.get(url)
    assert len(response.context["page"].object_list) == 20
    assert _queries(client, url, {"tab": "all", "q": "Senior"}) == one
    print(f"client offer list: {one} queries with 1 row and with 30 rows")


def test_freelancer_offer_list_runs_the_same_queries_for_1_and_many_rows(
    client, talent, django_assert_max_num_queries
):
    client.force_login(talent)
    url = reverse("offers:freelancer_offers")
    OfferFactory(freelancer=talent)
    one = _queries(client, url)
    OfferFactory.create_batch(29, freelancer=talent)
    with django_assert_max_num_queries(one):
        response = client.get(url)
    assert len(response.context["page"].object_list) == 20
    print(f"freelancer offer list: {one} queries with 1 row and with 30 rows")


def test_offer_page_runs_the_same_queries_for_1_and_many_revisions(
    client, manager, approval, django_assert_max_num_queries
):
    from offers.services import offer_modify

    offer = sent_offer(sent_by=manager, approval_request=approval)
    client.force_login(manager)
    url = reverse("offers:offer_detail", args=[offer.pk])
    one = _queries(client, url)
    for number in range(2, 12):
        offer_modify(offer_id=offer.pk, modified_by=manager, title=f"Title {number}", contract_type="hourly",
                     amount=offer.amount, currency="USD", weekly_hour_limit=30, start_date=offer.start_date)
    with django_assert_max_num_queries(one):
        response = client.get(url)
    assert len(response.context["revisions"]) == 11


def test_tabs_count_each_state_and_filter_the_rows(client, open_company, open_manager):
    for state in ["sent", "sent", "accepted", "declined", "withdrawn"]:
        OfferFactory(company=open_company, created_by=open_manager, state=state)
    client.force_login(open_manager)

    response = client.get(reverse("offers:offer_list"))
    tabs = {tab["key"]: tab["count"] for tab in response.context["tabs"]}
    assert tabs == {"sent": 2, "accepted": 1, "declined": 1, "withdrawn": 1, "all": 5}
    assert {o.state for o in response.context["page"].object_list} == {"sent"}  # default tab

    response = client.get(reverse("offers:offer_list"), {"tab": "withdrawn"})
    assert [o.state for o in response.context["page"].object_list] == ["withdrawn"]
    assert 'class="tab active" aria-current="page">Withdrawn' in response.content.decode()


def test_search_by_freelancer_or_title(client, open_company, open_manager):
    ada = freelancer(user__full_name="Ada Lovelace")
    OfferFactory(company=open_company, created_by=open_manager, freelancer=ada, title="Engine work")
    OfferFactory(company=open_company, created_by=open_manager, title="Kernel work")
    OfferFactory(company=open_company, created_by=open_manager, freelancer=None,
                 freelancer_name="Bob Outside", freelancer_email="bob@outside.test", title="Docs")
    client.force_login(open_manager)
    url = reverse("offers:offer_list")

    def titles(q):
        return [o.title for o in client.get(url, {"q": q, "tab": "all"}).context["page"].object_list]

    assert titles("lovelace") == ["Engine work"]
    assert titles("kernel") == ["Kernel work"]
    assert titles("bob@outside") == ["Docs"]
    response = client.get(url, {"q": "nothing & like this"})
    assert "No offers match “nothing &amp; like this”." in response.content.decode()
    assert response.context["tabs"][0]["url"] == "?tab=sent&q=nothing+%26+like+this"


def test_freelancer_list_shows_the_proposals_tabs_and_latest_terms(
    client, talent, open_manager, open_company
):
    OfferFactory(company=open_company, created_by=open_manager, freelancer=talent, title="Latest title",
                 revision=3)
    client.force_login(talent)
    html = client.get(reverse("offers:freelancer_offers")).content.decode()
    assert 'aria-label="My Proposals"' in html and "Latest title" in html and "revision 3" in html
    assert open_company.name in html


def test_unknown_tab_falls_back_to_the_default(client, open_manager):
    client.force_login(open_manager)
    response = client.get(reverse("offers:offer_list"), {"tab": "bogus"})
    assert response.context["tab"] == "sent" and Offer.objects.count() == 0


def test_freelancer_searches_by_client_or_title(client, talent):
    from tests.factories import CompanyFactory

    OfferFactory(freelancer=talent, company=CompanyFactory(name="Initech"), title="Printer repair")
    OfferFactory(freelancer=talent, title="Data work")
    client.force_login(talent)
    url = reverse("offers:freelancer_offers")

    def titles(q):
        return [o.title for o in client.get(url, {"q": q}).context["page"].object_list]

    assert titles("initech") == ["Printer repair"]
    assert titles("data") == ["Data work"]


def test_an_empty_tab_says_so_and_links_to_all_offers(client, talent, open_company, open_manager):
    """"No offers yet" on the Accepted tab of someone with offers waiting would be wrong."""
    OfferFactory(company=open_company, created_by=open_manager, freelancer=talent, state="accepted")
    OfferFactory(company=open_company, created_by=open_manager, freelancer=talent)
    client.force_login(talent)
    html = client.get(reverse("offers:freelancer_offers"), {"tab": "declined"}).content.decode()
    assert "No offers in “Declined”." in html and '<a href="?tab=all">See all 2 offers</a>' in html
    assert "No offers yet" not in html

    client.force_login(open_manager)
    html = client.get(reverse("offers:offer_list"), {"tab": "withdrawn"}).content.decode()
    assert "No offers in “Withdrawn”." in html and "See all 2 offers" in html


def test_no_offers_at_all_says_how_to_start(client, open_manager, talent):
    client.force_login(open_manager)
    html = client.get(reverse("offers:offer_list")).content.decode()
    assert "No offers yet. Use “Send an offer” to make your first one." in html
    client.force_login(talent)
    html = client.get(reverse("offers:freelancer_offers"), {"tab": "accepted"}).content.decode()
    assert "No offers yet. When a client sends you an offer, it shows up here." in html


def test_approval_column_only_for_companies_that_use_approvals(client, open_manager, manager, approval):
    sent_offer(sent_by=manager, approval_request=approval)
    client.force_login(manager)
    assert "<th>Approval</th>" in client.get(reverse("offers:offer_list")).content.decode()
    client.force_login(open_manager)
    assert "<th>Approval</th>" not in client.get(reverse("offers:offer_list")).content.decode()
