"""Whatever is typed in a search box (or a link) answers a page, never a 500."""

import pytest
from django.urls import reverse

from tests.factories import OfferFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["offers:offer_list", "jobs:job_list"])
def test_a_nul_character_in_the_client_search_is_ignored(client, open_company, open_manager, talent, name):
    OfferFactory(company=open_company, created_by=open_manager, freelancer=talent, title="Ledger work")
    client.force_login(open_manager)
    response = client.get(reverse(name), {"q": "Led\x00ger"})
    assert response.status_code == 200 and response.context["search"] == "Ledger"


@pytest.mark.parametrize("name", ["offers:freelancer_offers", "jobs:find_work"])
def test_a_nul_character_in_the_freelancer_search_is_ignored(client, talent, name):
    OfferFactory(freelancer=talent, title="Ledger work")
    client.force_login(talent)
    response = client.get(reverse(name), {"q": "\x00Ledger"})
    assert response.status_code == 200 and response.context["search"] == "Ledger"
    if name == "offers:freelancer_offers":
        assert [o.title for o in response.context["page"].object_list] == ["Ledger work"]


@pytest.mark.parametrize("params", [{"page": "abc"}, {"page": "999"}, {"page": "-1"}, {"tab": "bogus"}])
def test_odd_page_or_tab_parameters_answer_a_page(client, open_company, open_manager, talent, params):
    OfferFactory(company=open_company, created_by=open_manager, freelancer=talent)
    client.force_login(open_manager)
    assert client.get(reverse("offers:offer_list"), params).status_code == 200
    assert client.get(reverse("jobs:job_list"), params).status_code == 200
    client.force_login(talent)
    response = client.get(reverse("offers:freelancer_offers"), params)
    assert response.status_code == 200 and len(response.context["page"].object_list) == 1


def test_an_unknown_offer_id_answers_404_on_every_offer_url(client, open_manager, talent):
    client.force_login(open_manager)
    assert client.get(reverse("offers:offer_detail", args=[999999])).status_code == 404
    for name in ["offer_withdraw", "offer_modify"]:
        assert client.post(reverse(f"offers:{name}", args=[999999])).status_code == 404
    client.force_login(talent)
    for name in ["offer_accept", "offer_decline"]:
        assert client.post(reverse(f"offers:{name}", args=[999999]), {"reason": "x"}).status_code == 404
