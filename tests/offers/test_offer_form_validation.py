"""Bad input on every offer form gets a clear message, keeps what was typed and saves nothing."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from offers.models import Offer
from tests.factories import JobFactory, approved_request, hiring_manager, sent_offer
from tests.offers.helpers import modify_post, offer_post

pytestmark = pytest.mark.django_db
NEW = reverse("offers:offer_create")
YESTERDAY = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()


def _post_offer(client, manager, data):
    client.force_login(manager)
    response = client.post(NEW, data)
    assert response.status_code == 200, "a bad offer must not redirect"
    assert not Offer.objects.exists()
    return response.content.decode()


@pytest.mark.parametrize("overrides, message", [
    ({"amount": "-5"}, "The amount must be more than zero."),
    ({"amount": "0"}, "The amount must be more than zero."),
    ({"amount": "500000"}, "That is too much for an hourly rate: the maximum is 100,000."),
    ({"amount": "99999999", "contract_type": "fixed", "weekly_hour_limit": ""},
     "That is too much for a fixed price: the maximum is 10,000,000."),
    ({"amount": "1e20"}, "That amount is far too large: check the number of digits."),
    ({"amount": "NaN"}, "Enter the amount as a number, like 85.00."),
    ({"amount": "Infinity"}, "Enter the amount as a number, like 85.00."),
    ({"amount": "lots"}, "Enter the amount as a number, like 85.00."),
    ({"amount": "12.345"}, "Use at most two decimals (cents), like 85.50."),
    ({"currency": "XYZ"}, "Choose a currency from the list (XYZ is not one we support)."),
    ({"start_date": YESTERDAY}, "The start date cannot be in the past."),
    ({"start_date": "next week"}, "Enter the start date as YYYY-MM-DD."),
    ({"weekly_hour_limit": "0"}, "The weekly limit must be between 1 and 80 hours."),
    ({"weekly_hour_limit": "81"}, "The weekly limit must be between 1 and 80 hours."),
    ({"weekly_hour_limit": ""}, "Set a weekly hour limit for an hourly contract."),
    ({"contract_type": "fixed", "weekly_hour_limit": "20"},
     "A weekly limit applies to hourly contracts only: leave it blank for a fixed price."),
    ({"title": "   "}, "Give the offer a title."),
    ({"freelancer": ""}, "Choose the freelancer from the marketplace."),
    ({"freelancer": "999999"}, "The person you picked is not an active freelancer on Greenlight."),
    ({"offer_type": "gift"}, "Select a valid choice."),
    ({"approval_request": ""}, "Your company requires an approved request for every offer"),
    ({"approval_request": "not-a-number"}, "That is not one of your approved, unused requests."),
])
def test_bad_offer_input_is_refused_with_a_clear_message(
    client, manager, approval, talent, overrides, message
):
    html = _post_offer(client, manager, {**offer_post(freelancer=talent, approval=approval), **overrides})
    assert message in html
    approval.refresh_from_db()
    assert approval.state == "approved"


def test_what_was_typed_is_kept_on_error(client, manager, approval, talent):
    data = offer_post(freelancer=talent, approval=approval, amount="-5", message="Please keep this note")
    html = _post_offer(client, manager, data)
    assert 'value="-5"' in html and "Please keep this note" in html
    assert f'<option value="{approval.pk}" selected>' in html


def test_another_companys_request_id_posted_by_hand_is_refused(client, manager, talent):
    theirs = approved_request(freelancer=talent)  # another company's approved request
    html = _post_offer(client, manager, offer_post(freelancer=talent, approval=theirs))
    assert "That is not one of your approved, unused requests. Choose one from the list." in html
    theirs.refresh_from_db()
    assert theirs.state == "approved"


def test_another_companys_job_posted_by_hand_is_refused(client, manager, approval, talent):
    job = JobFactory()  # another company's job
    html = _post_offer(client, manager, offer_post(freelancer=talent, approval=approval, job=job.pk))
    assert "Choose one of your company&#x27;s job posts." in html


@pytest.mark.parametrize("overrides, message", [
    ({"freelancer_email": "", "freelancer_name": "Bob"},
     "Choose a marketplace freelancer, or give the BYO freelancer&#x27;s name and email."),
    ({"freelancer_email": "bob@outside.test", "freelancer_name": ""}, "Give the BYO freelancer&#x27;s name."),
    ({"freelancer_email": "not-an-email", "freelancer_name": "Bob"}, "Enter a valid email address."),
    ({"job": ""}, "A BYO offer is for one of your job posts: choose it."),
])
def test_bad_byo_freelancer_is_refused(client, open_company, open_manager, overrides, message):
    job = JobFactory(company=open_company, posted_by=open_manager)
    data = offer_post(
        offer_type="byo", job=job.pk, freelancer_name="Bob", freelancer_email="bob@outside.test"
    )
    html = _post_offer(client, open_manager, {**data, **overrides})
    assert message in html


def test_offer_to_a_client_member_is_refused(client, open_manager, open_company):
    from tests.factories import FreelancerProfileFactory

    both = hiring_manager(open_company)
    FreelancerProfileFactory(user=both)  # a member who also has a freelancer profile
    html = _post_offer(client, open_manager, offer_post(freelancer=both))
    assert "Offers go to freelancers, not to members of a client company." in html


# Modify form.

@pytest.mark.parametrize("overrides, message", [
    ({"amount": "-1"}, "The amount must be more than zero."),
    ({"amount": "1000000"}, "That is too much for an hourly rate"),
    ({"currency": "DOGE"}, "Choose a currency from the list (DOGE is not one we support)."),
    ({"start_date": YESTERDAY}, "The start date cannot be in the past."),
    ({"weekly_hour_limit": "100"}, "The weekly limit must be between 1 and 80 hours."),
    ({"title": ""}, "Give the offer a title."),
])
def test_bad_modification_is_refused_and_the_offer_is_unchanged(
    client, manager, approval, overrides, message
):
    offer = sent_offer(sent_by=manager, approval_request=approval)
    client.force_login(manager)
    response = client.post(reverse("offers:offer_modify", args=[offer.pk]), modify_post(offer, **overrides))
    assert response.status_code == 200 and message in response.content.decode()
    assert '<details class="card" id="modify" open>' in response.content.decode()
    offer.refresh_from_db()
    assert offer.revision == 1 and offer.revisions.count() == 1


# Decline form.

def test_overlong_decline_reason_is_refused(client, manager, approval, talent):
    offer = sent_offer(sent_by=manager, approval_request=approval)
    client.force_login(talent)
    response = client.post(reverse("offers:offer_decline", args=[offer.pk]), {"reason": "x" * 2001})
    assert response.status_code == 200
    assert "Ensure this value has at most 2000 characters" in response.content.decode()
    offer.refresh_from_db()
    assert offer.state == "sent"
