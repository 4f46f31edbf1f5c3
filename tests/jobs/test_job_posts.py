"""Job posts: a hiring manager creates and lists the company's job posts; they never need approval."""

import pytest
from django.urls import reverse

from jobs.models import Job
from tests.factories import CompanyFactory, JobFactory, approver, hiring_manager, sent_offer

pytestmark = pytest.mark.django_db


def _job_post(**overrides):
    data = {
        "title": "Billing platform developer", "description": "Work on invoices.", "skills": "Python",
        "contract_type": "hourly", "budget_amount": "80.00", "budget_currency": "EUR",
        "connects_price": "6", "direct_invite_limit": "30",
    }
    return {**data, **overrides}


def test_hiring_manager_creates_a_job_post_without_approval(client, company, manager):
    client.force_login(manager)
    response = client.post(reverse("jobs:job_create"), _job_post())
    job = Job.objects.get()
    assert response.status_code == 302 and response.url == reverse("jobs:job_detail", args=[job.pk])
    assert (job.company, job.posted_by, job.budget_currency) == (company, manager, "EUR")
    assert job.status == "open" and not company.approval_requests.exists()


@pytest.mark.parametrize("overrides, message", [
    ({"title": "  "}, "This field is required."),
    ({"description": ""}, "This field is required."),
    ({"budget_amount": "-10"}, "Ensure this value is greater than or equal to 0.01."),
    ({"budget_amount": "abc"}, "Enter a number."),
    ({"budget_currency": "XYZ"}, "Select a valid choice. XYZ is not one of the available choices."),
    ({"contract_type": "forever"}, "Select a valid choice."),
    ({"connects_price": "51"}, "Ensure this value is less than or equal to 50."),
    ({"direct_invite_limit": "0"}, "Ensure this value is greater than or equal to 1."),
])
def test_bad_job_post_is_refused_and_keeps_what_was_typed(client, manager, overrides, message):
    client.force_login(manager)
    response = client.post(reverse("jobs:job_create"), _job_post(**overrides))
    assert response.status_code == 200 and message in response.content.decode()
    assert 'value="Python"' in response.content.decode()  # what was typed is kept
    assert not Job.objects.exists()


def test_member_without_the_manager_role_cannot_post(client, company):
    client.force_login(approver(company))
    response = client.post(reverse("jobs:job_create"), _job_post(), follow=True)
    assert "Only hiring managers can post jobs." in response.content.decode()
    assert not Job.objects.exists()


def test_job_list_shows_only_the_company_job_posts(client, company, manager):
    ours = JobFactory(company=company, posted_by=manager, title="Ours")
    JobFactory(title="Theirs")
    client.force_login(approver(company))  # any member of the company sees its job posts
    response = client.get(reverse("jobs:job_list"))
    assert list(response.context["page"].object_list) == [ours]
    assert "Theirs" not in response.content.decode()


def test_job_list_search(client, company, manager):
    JobFactory(company=company, posted_by=manager, title="Data engineer", skills="Airflow")
    JobFactory(company=company, posted_by=manager, title="Designer", skills="Figma")
    client.force_login(manager)
    response = client.get(reverse("jobs:job_list"), {"q": "airflow"})
    assert [j.title for j in response.context["page"].object_list] == ["Data engineer"]


def test_job_list_runs_the_same_queries_for_1_and_many_rows(
    client, company, manager, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    JobFactory(company=company, posted_by=manager)
    client.force_login(manager)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("jobs:job_list"))
    JobFactory.create_batch(25, company=company, posted_by=manager)
    with django_assert_max_num_queries(len(one)):
        client.get(reverse("jobs:job_list"))


def test_another_companys_job_answers_404(client, manager):
    theirs = JobFactory(company=CompanyFactory())
    client.force_login(manager)
    assert client.get(reverse("jobs:job_detail", args=[theirs.pk])).status_code == 404


def test_job_page_lists_its_offers_and_links_to_a_prefilled_offer(client, company, manager, approval):
    job = JobFactory(company=company, posted_by=manager, title="Billing dev")
    offer = sent_offer(sent_by=manager, approval_request=approval, job=job)
    client.force_login(manager)
    html = client.get(reverse("jobs:job_detail", args=[job.pk])).content.decode()
    assert reverse("offers:offer_detail", args=[offer.pk]) in html
    assert f"/offers/new/?job={job.pk}&amp;title=Billing+dev" in html


def test_job_pages_are_for_client_members_only(client, talent):
    client.force_login(talent)
    assert client.get(reverse("jobs:job_list")).status_code == 404
    assert client.get(reverse("jobs:job_create")).status_code == 404
    other_manager = hiring_manager()
    assert other_manager.membership.company_id is not None


def test_job_list_is_newest_first(client, company, manager):
    first = JobFactory(company=company, posted_by=manager, title="First")
    second = JobFactory(company=company, posted_by=manager, title="Second")
    client.force_login(manager)
    assert list(client.get(reverse("jobs:job_list")).context["page"].object_list) == [second, first]


def test_job_page_runs_the_same_queries_for_1_and_many_offers(
    client, open_company, open_manager, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import OfferFactory, freelancer

    job = JobFactory(company=open_company, posted_by=open_manager)
    OfferFactory(company=open_company, created_by=open_manager, job=job, freelancer=freelancer())
    client.force_login(open_manager)
    url = reverse("jobs:job_detail", args=[job.pk])
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _ in range(12):
        OfferFactory(company=open_company, created_by=open_manager, job=job, freelancer=freelancer())
    with django_assert_max_num_queries(len(one)):
        response = client.get(url)
    assert len(response.context["job_offers"]) == 13
