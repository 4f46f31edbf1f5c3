"""The client offer list search never spells out a marketplace freelancer's private email:
only the whole address matches (a BYO email, typed by the client, still matches in part)."""

import pytest
from django.urls import reverse

from tests.factories import approved_request, freelancer, sent_offer

pytestmark = pytest.mark.django_db


def _titles(client, q):
    response = client.get(reverse("offers:offer_list"), {"tab": "all", "q": q})
    return [o.title for o in response.context["page"].object_list]


def test_a_fragment_of_a_marketplace_freelancers_email_finds_nothing(client, company, manager, boss):
    private = freelancer(user__full_name="Grace Hopper", user__email="ghopper.private@mail.test")
    approval = approved_request(
        company=company, requester=manager, approver=boss, freelancer=private, title="Compiler work"
    )
    sent_offer(sent_by=manager, approval_request=approval)
    client.force_login(manager)
    assert _titles(client, "ghopper.priv") == []
    assert _titles(client, "GHopper.Private@mail.test") == ["Compiler work"]
    assert _titles(client, "Hopper") == ["Compiler work"]
