"""The freelancer field without JavaScript: what is typed is resolved on submit, on the request
form, the offer form, the invite form and Decline and refer alike; a name that is unknown or
shared is refused with a clear message and everything typed is kept."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from approvals.models import ApprovalRequest
from jobs.models import Invite
from referrals.models import Referral
from tests.factories import (
    approver,
    beta_freelancer,
    client_job,
    direct_invite,
    freelancer,
    hiring_manager,
)
from tests.offers.helpers import offer_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    grace = freelancer(
        user__full_name="Grace Hopper", user__email="grace.h@example.test", title="Compiler engineer"
    )
    kelly = freelancer(user__full_name="Grace Kelly", user__email="kelly@example.test", title="Actor")
    return grace, kelly


def _request_data(**overrides):
    return {
        "title": "Compiler work", "offer_type": "direct", "contract_type": "hourly", "amount": "90.00",
        "currency": "USD", "weekly_hour_limit": "20",
        "start_date": (timezone.localdate() + datetime.timedelta(days=7)).isoformat(),
        "justification": "Typed justification", "freelancer": "", **overrides,
    }


def _request_form(client):
    manager = hiring_manager(full_name="Maria Manager")
    boss = approver(manager.membership.company, full_name="Alan Approver")
    client.force_login(manager)
    return reverse("approvals:create"), boss


def test_a_typed_name_that_one_freelancer_has_is_chosen_on_the_request_form(client, people):
    grace, _ = people
    url, boss = _request_form(client)
    response = client.post(url, _request_data(freelancer_search="hopper", approver=boss.pk))
    assert response.status_code == 302
    assert ApprovalRequest.objects.get().freelancer == grace


def test_a_whole_name_shared_as_a_prefix_is_still_chosen(client, people):
    grace, _ = people
    freelancer(user__full_name="Grace Hopperson")
    url, boss = _request_form(client)
    response = client.post(url, _request_data(freelancer_search="grace HOPPER", approver=boss.pk))
    assert response.status_code == 302
    assert ApprovalRequest.objects.get().freelancer == grace


def test_an_ambiguous_name_is_refused_listing_the_candidates_and_keeping_the_input(client, people):
    grace, kelly = people
    url, boss = _request_form(client)
    response = client.post(url, _request_data(freelancer_search="Grace", approver=boss.pk))
    page = response.content.decode()
    assert response.status_code == 200 and not ApprovalRequest.objects.exists()
    assert "2 freelancers have “Grace” in their name: choose one below." in page
    assert "Grace Hopper · Compiler engineer" in page and "Grace Kelly · Actor" in page
    assert 'name="freelancer_search" value="Grace"' in page
    assert "Typed justification" in page and 'value="90.00"' in page

    response = client.post(
        url, _request_data(freelancer_search="Grace", freelancer_choice=kelly.pk, approver=boss.pk)
    )
    assert response.status_code == 302
    assert ApprovalRequest.objects.get().freelancer == kelly


def test_more_candidates_than_shown_asks_for_more_of_the_name(client):
    for number in range(7):
        freelancer(user__full_name=f"Sam Number{number}")
    url, boss = _request_form(client)
    page = client.post(url, _request_data(freelancer_search="sam", approver=boss.pk)).content.decode()
    assert "More than 5 freelancers have “sam” in their name" in page
    assert page.count('name="freelancer_choice"') == 5


def test_an_unknown_name_is_refused_and_keeps_the_input(client, people):
    url, boss = _request_form(client)
    response = client.post(url, _request_data(freelancer_search="Nobody Atall", approver=boss.pk))
    page = response.content.decode()
    assert "No freelancer on Greenlight has “Nobody Atall” in their name." in page
    assert 'name="freelancer_search" value="Nobody Atall"' in page and "Typed justification" in page
    assert not ApprovalRequest.objects.exists()


def test_two_letters_are_too_few_to_search(client, people):
    url, boss = _request_form(client)
    page = client.post(url, _request_data(freelancer_search="gr", approver=boss.pk)).content.decode()
    assert "Type at least 3 letters of the name, or their whole email address." in page
    assert not ApprovalRequest.objects.exists()


def test_a_private_email_is_matched_only_whole_whatever_its_case(client, people):
    grace, _ = people
    url, boss = _request_form(client)
    for part in ("grace.h@", "grace.h@example", "race.h@example.test", "grace.h@example.tes"):
        page = client.post(url, _request_data(freelancer_search=part, approver=boss.pk)).content.decode()
        assert f"No active freelancer on Greenlight has the email address “{part}”." in page
        assert "Grace Hopper" not in page
    assert not ApprovalRequest.objects.exists()
    response = client.post(url, _request_data(freelancer_search="GRACE.H@Example.TEST", approver=boss.pk))
    assert response.status_code == 302
    assert ApprovalRequest.objects.get().freelancer == grace


def test_a_retyped_name_wins_over_the_id_picked_before(client, people):
    grace, kelly = people
    url, boss = _request_form(client)
    # The form came back with Grace Hopper resolved; without JavaScript the id stays as the name
    # is changed to someone else's.
    response = client.post(
        url, _request_data(freelancer=grace.pk, freelancer_search="Grace Kelly", approver=boss.pk)
    )
    assert response.status_code == 302
    assert ApprovalRequest.objects.get().freelancer == kelly


def test_a_form_sent_back_for_another_error_shows_the_resolved_freelancer(client, people):
    grace, _ = people
    url, boss = _request_form(client)
    page = client.post(url, _request_data(freelancer_search="hopper", amount="-1", approver=boss.pk))
    html = page.content.decode()
    assert 'name="freelancer_search" value="Grace Hopper"' in html
    assert f'<input type="hidden" name="freelancer" value="{grace.pk}"' in html


def test_the_offer_form_resolves_a_typed_name(client, open_manager, people):
    grace, _ = people
    client.force_login(open_manager)
    data = {**offer_post(freelancer=grace), "freelancer": "", "freelancer_search": "hopper"}
    response = client.post(reverse("offers:offer_create"), data)
    assert response.status_code == 302
    assert grace.offers_received.get().title == "Senior Django developer"


def test_the_offer_form_refuses_an_ambiguous_name_and_keeps_the_message(client, open_manager, people):
    client.force_login(open_manager)
    data = {**offer_post(freelancer=people[0], message="Keep this note"), "freelancer": "",
            "freelancer_search": "grace"}
    page = client.post(reverse("offers:offer_create"), data).content.decode()
    assert "2 freelancers have “grace” in their name" in page and "Keep this note" in page


def test_the_invite_form_resolves_a_typed_name_and_keeps_the_message_when_it_cannot(client, people):
    grace, _ = people
    job = client_job(title="Compilers")
    url = reverse("jobs:invite_create", args=[job.pk])
    client.force_login(job.posted_by)
    response = client.post(url, {"freelancer_search": "grace", "freelancer": "", "message": "Typed message"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "choose one below" in page and "Typed message" in page
    assert not Invite.objects.exists()
    response = client.post(url, {"freelancer_search": "hopper", "freelancer": "", "message": "Typed message"})
    assert response.status_code == 302
    assert Invite.objects.get().freelancer == grace


def test_decline_and_refer_resolves_a_typed_email(client, people):
    grace, _ = people
    invite = direct_invite(beta_freelancer())
    client.force_login(invite.freelancer)
    response = client.post(
        reverse("referrals:refer", args=[invite.pk]),
        {"reason": "Too busy right now", "freelancer_search": "Grace.H@example.test", "freelancer": ""},
    )
    assert response.status_code == 302
    assert Referral.objects.get().referred == grace
