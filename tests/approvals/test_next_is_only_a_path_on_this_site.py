"""The request form follows ``next`` only to a path on this site; anything else goes to the request."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from approvals.models import ApprovalRequest

pytestmark = pytest.mark.django_db

FUZZED_NEXT = ["offers", "0", "NaN", "//evil.test/x", "https://evil.test/", "javascript:alert(1)", " /x"]


def _form_data(team, **extra):
    return {
        "title": "Senior Django developer", "offer_type": "direct", "freelancer": team.freelancer.pk,
        "contract_type": "hourly", "amount": "95.50", "currency": "USD", "weekly_hour_limit": "30",
        "start_date": (timezone.localdate() + datetime.timedelta(days=7)).isoformat(),
        "approver": team.approver.pk, **extra,
    }


@pytest.mark.parametrize("next_url", FUZZED_NEXT)
def test_a_next_that_is_not_a_path_on_this_site_redirects_to_the_request(client, team, next_url):
    client.force_login(team.manager)
    response = client.post(reverse("approvals:create"), _form_data(team, next=next_url))
    approval_request = ApprovalRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("approvals:detail", args=[approval_request.pk])
    assert client.get(response["Location"]).status_code == 200


def test_a_path_on_this_site_is_followed_with_the_new_request(client, team):
    client.force_login(team.manager)
    response = client.post(reverse("approvals:create"), _form_data(team, next="/offers/new/?draft=x"))
    approval_request = ApprovalRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/offers/new/?draft=x&approval_request={approval_request.pk}"


@pytest.mark.parametrize("next_url", FUZZED_NEXT)
def test_the_form_is_not_prefilled_with_a_next_that_is_not_a_path_on_this_site(client, team, next_url):
    client.force_login(team.manager)
    response = client.get(reverse("approvals:create"), {"next": next_url, "title": "Billing"})
    assert response.status_code == 200
    assert response.context["form"].initial["title"] == "Billing"
    assert "next" not in response.context["form"].initial
    assert 'name="next" id="id_next"' in response.content.decode()


def test_the_form_keeps_a_next_that_is_a_path_on_this_site(client, team):
    client.force_login(team.manager)
    response = client.get(reverse("approvals:create"), {"next": "/offers/new/"})
    assert response.context["form"].initial["next"] == "/offers/new/"
    assert 'value="/offers/new/"' in response.content.decode()
