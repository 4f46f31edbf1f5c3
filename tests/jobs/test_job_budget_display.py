"""A job's budget reads like every other amount: thousands separators, and /h when it is an hourly rate."""

from decimal import Decimal

import pytest
from django.urls import reverse

from tests.factories import InviteFactory, JobFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def hourly_job(open_company, open_manager):
    return JobFactory(company=open_company, posted_by=open_manager, contract_type="hourly",
                      budget_amount=Decimal("1250.00"), budget_currency="EUR")


def test_client_pages_show_an_hourly_budget_per_hour_with_separators(client, hourly_job, open_manager):
    client.force_login(open_manager)
    for url in [reverse("jobs:job_list"), reverse("jobs:job_detail", args=[hourly_job.pk])]:
        html = client.get(url).content.decode()
        assert "1,250.00 EUR/h" in html, url


def test_freelancer_pages_show_an_hourly_budget_per_hour_with_separators(client, hourly_job, talent):
    invite = InviteFactory(job=hourly_job, freelancer=talent)
    client.force_login(talent)
    for url in [reverse("jobs:find_work"), reverse("jobs:invite_detail", args=[invite.pk])]:
        html = client.get(url).content.decode()
        assert "1,250.00 EUR/h" in html and "1250.00" not in html, url


def test_a_fixed_budget_has_no_per_hour(client, open_company, open_manager, talent):
    JobFactory(company=open_company, posted_by=open_manager, contract_type="fixed",
               budget_amount=Decimal("6000.00"), budget_currency="USD")
    client.force_login(talent)
    html = client.get(reverse("jobs:find_work")).content.decode()
    assert "6,000.00 USD" in html and "6,000.00 USD/h" not in html
