"""The request admin shows the chain copied onto each request: every step with its rule,
condition and outcome, every approver's decision; the list says who a request waits for."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from approvals import services
from tests.approvals.initech import ask, initech
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:approvals_approvalrequest_changelist"


@pytest.fixture
def people(db):
    return initech()


@pytest.fixture
def admin_client(client, db):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def change_page(client, approval_request):
    url = reverse("admin:approvals_approvalrequest_change", args=[approval_request.pk])
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_change_page_shows_each_step_and_each_approver_decision(admin_client, people):
    approval_request = ask(people, amount="6000.00")
    services.approval_request_approve(
        approval_request_id=approval_request.pk, actor=people.lead, comment="Good scope"
    )
    page = change_page(admin_client, approval_request)
    assert "approval chain (copied from the policy when the request was created)" in page.lower()
    assert page.index("Team lead") < page.index("Finance")
    for text in (
        "Any one approves", "All must approve", "Always applies",
        "When the amount is at least 5,000.00 USD fixed or 100.00 USD an hour",
        "Applies: 6,000.00 USD is at least 5,000.00 USD.",
        "Leo Lead &lt;lead@initech.test&gt;: Approved, ", "“Good scope”",
        "Cora Cfo &lt;cfo@initech.test&gt;: Waiting",
        "Carl Controller &lt;controller@initech.test&gt;: Waiting",
    ):
        assert text in page, text


def test_a_skipped_step_shows_why(admin_client, people):
    approval_request = ask(people, amount="4000.00")
    page = change_page(admin_client, approval_request)
    assert "Skipped: 4,000.00 USD is below 5,000.00 USD." in page
    assert "Cora Cfo &lt;cfo@initech.test&gt;: Not needed" in page


def test_list_says_which_step_waits_for_whom_and_who_decided(admin_client, people):
    waiting = ask(people, amount="6000.00", title="Waiting for finance")
    services.approval_request_approve(approval_request_id=waiting.pk, actor=people.lead)
    declined = ask(people, amount="300.00", title="Turned down")
    services.approval_request_decline(approval_request_id=declined.pk, actor=people.lead, comment="No")
    page = admin_client.get(reverse(CHANGELIST)).content.decode()
    assert "Finance: waiting for Carl Controller, Cora Cfo" in page
    assert ">Leo Lead<" in page  # who declined the other one


def test_search_by_an_approver_email_finds_requests_of_any_step(admin_client, people, make_request):
    ask(people, amount="6000.00", title="Big one")
    ask(people, amount="300.00", title="Small one")
    make_request(title="Acme's own")
    page = admin_client.get(reverse(CHANGELIST), {"q": "cfo@initech.test"}).content.decode()
    assert "Big one" in page and "Small one" in page  # the skipped step still names her
    assert "Acme&#x27;s own" not in page
    page = admin_client.get(reverse(CHANGELIST), {"q": "alan@acme.test"}).content.decode()
    assert "Acme&#x27;s own" in page and "Big one" not in page


def test_changelist_queries_do_not_grow_with_two_step_requests(admin_client, people):
    url = reverse(CHANGELIST)
    ask(people, amount="6000.00", title="Request 0")
    with CaptureQueriesContext(connection) as one:
        assert admin_client.get(url).status_code == 200
    for n in range(1, 50):
        approval_request = ask(people, amount=f"{6000 + n}.00", title=f"Request {n}")
        if n % 2:
            services.approval_request_approve(approval_request_id=approval_request.pk, actor=people.lead)
    with CaptureQueriesContext(connection) as fifty:
        page = admin_client.get(url).content.decode()
    assert "Request 49" in page and "Finance: waiting for" in page and "Team lead: waiting for" in page
    assert len(fifty.captured_queries) == len(one.captured_queries)
