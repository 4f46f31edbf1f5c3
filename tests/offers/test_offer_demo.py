import io

import pytest
from django.core.management import call_command

from offers.models import Offer, OfferRevision

pytestmark = pytest.mark.django_db


def test_seed_demo_adds_one_globex_offer_without_approval_and_is_idempotent():
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())

    offer = Offer.objects.get(company__name="Globex")
    assert offer.approval_request is None and offer.state == "sent"
    assert offer.freelancer.email == "grace@freelancers.test"
    assert offer.created_by.email == "manager@globex.test" and offer.job.company == offer.company
    assert OfferRevision.objects.filter(offer=offer).count() == 1


def test_demo_freelancer_sees_the_globex_offer(client):
    from accounts.models import User

    call_command("seed_demo", stdout=io.StringIO())
    client.force_login(User.objects.get(email="grace@freelancers.test"))
    response = client.get("/proposals/offers/")
    assert "Compiler optimisation consultant" in response.content.decode()
