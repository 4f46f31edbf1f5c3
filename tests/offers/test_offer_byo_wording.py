"""A BYO offer is "Bring your own freelancer" to the client and "Brought by the client" to the freelancer."""

import pytest
from django.urls import reverse

from offers.services import offer_send
from tests.factories import JobFactory, offer_terms

pytestmark = pytest.mark.django_db


@pytest.fixture
def byo_offer(open_company, open_manager, talent, django_capture_on_commit_callbacks):
    job = JobFactory(company=open_company, posted_by=open_manager)
    with django_capture_on_commit_callbacks(execute=True):
        return offer_send(sent_by=open_manager, **offer_terms(freelancer=talent, job=job, offer_type="byo"))


def test_freelancer_reads_a_byo_offer_as_brought_by_the_client(client, byo_offer, talent):
    client.force_login(talent)
    html = client.get(reverse("offers:offer_detail", args=[byo_offer.pk])).content.decode()
    assert "Brought by the client" in html
    assert "Bring your own freelancer" not in html


def test_client_still_reads_a_byo_offer_as_bring_your_own_freelancer(client, byo_offer, open_manager):
    client.force_login(open_manager)
    html = client.get(reverse("offers:offer_detail", args=[byo_offer.pk])).content.decode()
    assert "Bring your own freelancer" in html


def test_byo_offer_email_speaks_to_the_freelancer(byo_offer, mailoutbox):
    [email] = mailoutbox
    assert "sent you a contract offer (Brought by the client)." in email.body
    assert "Bring your own freelancer" not in email.body
    assert "Bring your own freelancer" not in email.alternatives[0][0]
