"""Money reads the same everywhere an offer shows: two decimals and thousands separators."""

import pytest
from django.urls import reverse

from offers.services import offer_send
from tests.factories import JobFactory, offer_terms

pytestmark = pytest.mark.django_db


@pytest.fixture
def big_offer(open_company, open_manager, talent, django_capture_on_commit_callbacks):
    job = JobFactory(company=open_company, posted_by=open_manager, contract_type="fixed",
                     budget_amount=12500, budget_currency="EUR")
    with django_capture_on_commit_callbacks(execute=True):
        return offer_send(sent_by=open_manager, **offer_terms(
            freelancer=talent, job=job, contract_type="fixed", amount=12500, currency="EUR",
            weekly_hour_limit=None,
        ))


def test_large_amounts_have_thousands_separators_on_every_page(client, big_offer, open_manager, talent):
    client.force_login(open_manager)
    for url in [
        reverse("offers:offer_detail", args=[big_offer.pk]),
        reverse("offers:offer_list"),
        reverse("jobs:job_detail", args=[big_offer.job_id]),
        reverse("jobs:job_list"),
    ]:
        html = client.get(url).content.decode()
        assert "12,500.00 EUR" in html and "12500.00 EUR" not in html, url
    client.force_login(talent)
    for url in [reverse("offers:offer_detail", args=[big_offer.pk]), reverse("offers:freelancer_offers")]:
        html = client.get(url).content.decode()
        assert "12,500.00 EUR" in html and "12500.00 EUR" not in html, url


def test_large_amounts_have_thousands_separators_in_emails(
    big_offer, talent, mailoutbox, django_capture_on_commit_callbacks
):
    from offers.services import offer_accept

    assert "Fixed price: 12,500.00 EUR" in mailoutbox[0].body
    assert "12,500.00 EUR" in mailoutbox[0].alternatives[0][0]
    with django_capture_on_commit_callbacks(execute=True):
        offer_accept(offer_id=big_offer.pk, freelancer=talent)
    assert "(12,500.00 EUR, starting" in mailoutbox[-1].body
