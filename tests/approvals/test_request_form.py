"""The request form applies the contract-term bounds of every offer, with the offer form's
messages, so whatever is approved can be offered on the same terms."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from approvals import selectors
from approvals.forms import ApprovalRequestForm
from approvals.models import ApprovalRequest
from offers.forms import OfferTermsForm

pytestmark = pytest.mark.django_db

FIXED_PRICE_LIMIT = "A weekly limit applies to hourly contracts only: leave it blank for a fixed price."


def _form_data(team, **overrides):
    return {
        "title": "Senior Django developer",
        "offer_type": "direct",
        "freelancer": team.freelancer.pk,
        "contract_type": "fixed",
        "amount": "6000.00",
        "currency": "USD",
        "weekly_hour_limit": "",
        "start_date": (timezone.localdate() + datetime.timedelta(days=7)).isoformat(),
        "justification": "Billing backlog.",
        "approver": team.approver.pk,
        **overrides,
    }


def test_a_weekly_limit_on_a_fixed_price_is_refused_with_the_shared_message(client, team):
    client.force_login(team.manager)
    response = client.post(reverse("approvals:create"), _form_data(team, weekly_hour_limit="30"))
    page = response.content.decode()
    assert FIXED_PRICE_LIMIT in page
    assert 'value="Senior Django developer"' in page  # nothing typed is lost
    assert ApprovalRequest.objects.count() == 0


def test_a_fixed_price_without_a_weekly_limit_is_requested(client, team):
    client.force_login(team.manager)
    client.post(reverse("approvals:create"), _form_data(team))
    approval_request = ApprovalRequest.objects.get()
    assert approval_request.contract_type == "fixed" and approval_request.weekly_hour_limit is None


@pytest.mark.parametrize("overrides", [
    {"weekly_hour_limit": "30"},
    {"contract_type": "hourly", "weekly_hour_limit": "81"},
    {"contract_type": "hourly", "amount": "100000.01", "weekly_hour_limit": "30"},
    {"amount": "0"},
    {"amount": "abc"},
    {"start_date": (timezone.localdate() + datetime.timedelta(days=400)).isoformat()},
])
def test_the_request_and_offer_forms_refuse_the_same_terms_with_the_same_message(client, team, overrides):
    client.force_login(team.manager)
    data = _form_data(team, **overrides)
    response = client.post(reverse("approvals:create"), data)
    request_errors = response.context["form"].errors
    offer_form = OfferTermsForm({**data, "message": ""})
    assert not offer_form.is_valid()
    assert request_errors and {
        field: request_errors[field] for field in offer_form.errors
    } == offer_form.errors
    assert ApprovalRequest.objects.count() == 0


def test_the_request_form_lists_no_freelancer_and_searches_as_you_type_instead(client, team):
    client.force_login(team.manager)
    page = client.get(reverse("approvals:create")).content.decode()
    assert "Ada Lovelace" not in page
    assert 'name="freelancer_search"' in page and 'data-search-url="/freelancers/search/"' in page


def test_resubmitting_and_offering_copy_the_same_terms_of_a_byo_fixed_request(client, team, make_request):
    approval_request = make_request(
        freelancer=None, freelancer_name="Bo Byo", freelancer_email="bo@byo.test", offer_type="byo",
        contract_type="fixed", amount="6000.00", weekly_hour_limit=None,
    )
    terms = selectors.approval_request_terms(approval_request)
    assert terms["freelancer"] == "" and terms["freelancer_email"] == "bo@byo.test"
    assert terms["weekly_hour_limit"] == ""
    resubmission = ApprovalRequestForm.initial_from_request(approval_request)
    assert {name: resubmission[name] for name in terms if name != "start_date"} == {
        name: value for name, value in terms.items() if name != "start_date"
    }
    assert resubmission["approver"] == team.approver.pk
