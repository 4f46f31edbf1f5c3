"""The dashboard search never works as an oracle for a marketplace freelancer's email address.

A hiring manager can ask approval for any freelancer on the marketplace; if a fragment of the
freelancer's (private) email matched, searching "a", "ad", "ada@"… would spell the address out.
Only the whole address matches, as in the freelancer picker.
"""

import pytest
from django.urls import reverse

from tests.factories import freelancer

pytestmark = pytest.mark.django_db


def _titles(client, q):
    response = client.get(reverse("approvals:dashboard"), {"q": q})
    return [r.title for r in response.context["page"].object_list]


def test_a_fragment_of_a_marketplace_freelancers_email_finds_nothing(client, team, make_request):
    private = freelancer(user__full_name="Grace Hopper", user__email="ghopper.private@mail.test")
    make_request(title="Compiler work", freelancer=private)
    client.force_login(team.manager)
    assert _titles(client, "ghopper.priv") == []
    assert _titles(client, "@mail.test") == []


def test_the_whole_email_and_the_name_still_find_the_request(client, team, make_request):
    private = freelancer(user__full_name="Grace Hopper", user__email="ghopper.private@mail.test")
    make_request(title="Compiler work", freelancer=private)
    client.force_login(team.manager)
    assert _titles(client, "GHopper.Private@mail.test") == ["Compiler work"]
    assert _titles(client, "Hopper") == ["Compiler work"]
