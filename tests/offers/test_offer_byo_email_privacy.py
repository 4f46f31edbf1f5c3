"""The BYO offer form answers alike for every email that is not an active freelancer's, so it
never tells a manager whether someone has a Greenlight account."""

import re

import pytest
from django.urls import reverse

from offers.models import Offer
from tests.factories import CompanyFactory, JobFactory, freelancer, hiring_manager
from tests.offers.helpers import offer_post

pytestmark = pytest.mark.django_db
NEW = reverse("offers:offer_create")


def _errors_and_form(html: str, email: str) -> str:
    """The page with the typed email masked: what differs must be only what was typed."""
    html = html.replace(email, "EMAIL")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


@pytest.fixture
def emails():
    client_person = hiring_manager(CompanyFactory(), email="boss@elsewhere.test")
    closed = freelancer(user__email="gone@example.test", user__is_active=False)
    closed_client = hiring_manager(CompanyFactory(), email="left@elsewhere.test", is_active=False)
    return [client_person.email, closed.email, closed_client.email, "nobody@outside.test"]


def test_byo_form_answers_alike_for_client_closed_and_unknown_emails(
    client, open_company, open_manager, emails
):
    job = JobFactory(company=open_company, posted_by=open_manager)
    client.force_login(open_manager)
    pages = set()
    for email in emails:
        # Without a name: the same "give the name" refusal, nothing about an account.
        data = offer_post(offer_type="byo", job=job.pk, freelancer_name="", freelancer_email=email)
        response = client.post(NEW, data)
        assert response.status_code == 200
        html = response.content.decode()
        assert "Give the BYO freelancer&#x27;s name." in html
        assert "account" not in html.split("<main", 1)[1].lower()
        pages.add(_errors_and_form(html, email))
    assert len(pages) == 1
    assert not Offer.objects.exists()


def test_byo_offer_to_a_non_freelancer_email_goes_to_the_email(
    client, open_company, open_manager, emails
):
    job = JobFactory(company=open_company, posted_by=open_manager)
    client.force_login(open_manager)
    for email in emails:
        data = offer_post(offer_type="byo", job=job.pk, freelancer_name="Sam", freelancer_email=email)
        assert client.post(NEW, data).status_code == 302
    offers = Offer.objects.order_by("pk")
    assert [(o.freelancer_id, o.freelancer_name, o.freelancer_email) for o in offers] == [
        (None, "Sam", email) for email in emails
    ]


def test_byo_email_of_an_active_freelancer_is_still_matched_to_the_account(
    client, open_company, open_manager, talent
):
    job = JobFactory(company=open_company, posted_by=open_manager)
    client.force_login(open_manager)
    data = offer_post(offer_type="byo", job=job.pk, freelancer_name="", freelancer_email=talent.email)
    assert client.post(NEW, data).status_code == 302
    offer = Offer.objects.get()
    assert offer.freelancer == talent and offer.freelancer_email == ""
