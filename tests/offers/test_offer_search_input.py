"""Whatever is typed in a search box (or a link) answers a page, never a 500."""

import pytest
from django.urls import reverse

from tests.factories import OfferFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["offers:offer_list", "offers:job_list"])
def test_a_nul_character_in_the_client_search_is_ignored(client, open_company, open_manager, talent, name):
    OfferFactory(company=open_company, created_by=open_manager, freelancer=talent, title="Ledger work")
    client.force_login(open_manager)
    response = client.get(reverse(name), {"q": "Led\x00ger"})
    assert response.status_code == 200 and response.context["search"] == "Ledger"


@pytest.mark.parametrize("name", ["offers:freelancer_offers", "offers:find_work"])
def test_a_nul_character_in_the_freelancer_search_is_ignored(client, talent, name):
    OfferFactory(freelancer=talent, title="Ledger work")
    client.force_login(talent)
    response = client.get(reverse(name), {"q": "\x00Ledger"})
    assert response.status_code == 200 and response.context["search"] == "Ledger"
    if name == "offers:freelancer_offers":
        assert [o.title for o in response.context["page"].object_list] == ["Ledger work"]
