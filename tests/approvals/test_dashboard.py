"""My Jobs > Approvals: tabs with counts, visibility by role, search, order, pagination, queries."""

import pytest
from django.urls import reverse

from approvals import services
from tests.factories import approver, freelancer, hiring_manager, move_past_expiry, pending_request

pytestmark = pytest.mark.django_db


def _rows(response):
    return [r.title for r in response.context["page"].object_list]


def _counts(response):
    return {t["key"]: t["count"] for t in response.context["tabs"]}


def _states_fixture(team, make_request):
    pending = make_request(title="Pending one")
    approved = make_request(title="Approved one")
    services.approval_request_approve(approval_request_id=approved.pk, actor=team.approver)
    declined = make_request(title="Declined one")
    services.approval_request_decline(approval_request_id=declined.pk, actor=team.approver)
    expired = move_past_expiry(make_request(title="Expired one"))
    services.approval_requests_expire_stale()
    used = make_request(title="Used one")
    services.approval_request_approve(approval_request_id=used.pk, actor=team.approver)
    used.refresh_from_db()
    services.approval_request_consume(approval_request=used, actor=team.manager)
    cancelled = make_request(title="Cancelled one")
    services.approval_request_cancel(approval_request_id=cancelled.pk, actor=team.manager)
    return pending, approved, declined, expired, used


@pytest.mark.parametrize("tab, title", [
    ("pending", "Pending one"), ("approved", "Approved one"), ("declined", "Declined one"),
    ("expired", "Expired one"), ("used", "Used one"), ("cancelled", "Cancelled one"),
])
def test_each_tab_lists_its_state_with_counts(client, team, make_request, tab, title):
    _states_fixture(team, make_request)
    client.force_login(team.manager)
    response = client.get(reverse("approvals:dashboard"), {"tab": tab})
    assert _rows(response) == [title]
    assert _counts(response) == {
        "pending": 1, "approved": 1, "declined": 1, "expired": 1, "used": 1, "cancelled": 1,
    }
    assert 'aria-current="page">' + {"used": "Used"}.get(tab, tab.capitalize()) in response.content.decode()


@pytest.mark.parametrize("tab, header", [
    ("pending", "Decide by"), ("approved", "Valid until"), ("declined", "Declined on"),
    ("expired", "Expired on"), ("used", "Used since"), ("cancelled", "Cancelled on"),
])
def test_each_tab_dates_rows_by_what_matters_in_that_state(client, team, make_request, tab, header):
    """Not a bare "Updated": the date column says what the date is."""
    _states_fixture(team, make_request)
    client.force_login(team.manager)
    page = client.get(reverse("approvals:dashboard"), {"tab": tab}).content.decode()
    assert f"<th>{header}</th>" in page


def test_unknown_tab_falls_back_to_pending(client, team, make_request):
    _states_fixture(team, make_request)
    client.force_login(team.manager)
    assert _rows(client.get(reverse("approvals:dashboard"), {"tab": "nope"})) == ["Pending one"]


def test_manager_sees_only_the_requests_they_created(client, team, make_request):
    make_request(title="Mine")
    colleague = hiring_manager(team.company)
    make_request(title="Colleague's", requester=colleague)
    pending_request(company=team.other_company, requester=team.outsider,
                    approver=team.outside_approver, title="Other company's")
    client.force_login(team.manager)
    assert _rows(client.get(reverse("approvals:dashboard"))) == ["Mine"]


def test_approver_sees_requests_assigned_to_them(client, team, make_request):
    make_request(title="For Alan")
    make_request(title="For someone else", approver=approver(team.company))
    client.force_login(team.approver)
    assert _rows(client.get(reverse("approvals:dashboard"))) == ["For Alan"]


def test_person_with_both_roles_sees_both_and_their_decisions_come_first(client, team, make_request):
    both = team.manager
    both.membership.is_approver = True
    both.membership.save()
    colleague = hiring_manager(team.company)
    make_request(title="Awaiting Maria (older)", requester=colleague, approver=both)
    make_request(title="Maria's own (newer)")
    client.force_login(both)
    response = client.get(reverse("approvals:dashboard"))
    assert _rows(response) == ["Awaiting Maria (older)", "Maria's own (newer)"]
    assert "Awaiting your decision" in response.content.decode()


def test_request_past_its_decision_window_is_not_shown_as_awaiting_a_decision(client, team,
                                                                              make_request):
    """Before the sweep has run, a stale pending request is listed but cannot be decided."""
    make_request(title="Live")
    move_past_expiry(make_request(title="Stale"))  # newer, yet no longer awaiting
    client.force_login(team.approver)
    response = client.get(reverse("approvals:dashboard"))
    assert _rows(response) == ["Live", "Stale"]
    assert response.content.decode().count("Awaiting your decision") == 1


def test_newest_first(client, team, make_request):
    for title in ("First", "Second", "Third"):
        make_request(title=title)
    client.force_login(team.manager)
    assert _rows(client.get(reverse("approvals:dashboard"))) == ["Third", "Second", "First"]


def test_search_by_title_or_freelancer_and_counts_follow_it(client, team, make_request):
    make_request(title="Django developer")
    make_request(title="Data engineer", freelancer=freelancer(user__full_name="Grace Hopper"))
    make_request(title="BYO designer", freelancer=None, offer_type="byo",
                 freelancer_name="Bob Byo", freelancer_email="bob@byo.test")
    client.force_login(team.manager)
    url = reverse("approvals:dashboard")
    assert _rows(client.get(url, {"q": "django"})) == ["Django developer"]
    assert _rows(client.get(url, {"q": "hopper"})) == ["Data engineer"]
    assert _rows(client.get(url, {"q": "bob@byo"})) == ["BYO designer"]
    response = client.get(url, {"q": "nobody"})
    assert _rows(response) == [] and _counts(response)["pending"] == 0
    assert "No pending requests match “nobody”." in response.content.decode()


def test_search_with_a_nul_character_answers_instead_of_failing(client, team, make_request):
    make_request(title="Senior Django developer")
    client.force_login(team.manager)
    response = client.get(reverse("approvals:dashboard"), {"q": "Django\x00"})
    assert response.status_code == 200
    assert _rows(response) == ["Senior Django developer"]


def test_paginated_by_twenty(client, team, make_request):
    for n in range(25):
        make_request(title=f"Request {n:02}")
    client.force_login(team.manager)
    url = reverse("approvals:dashboard")
    assert len(_rows(client.get(url))) == 20
    second = client.get(url, {"page": 2})
    assert _rows(second) == [f"Request {n:02}" for n in range(4, -1, -1)]
    assert _counts(second)["pending"] == 25


def test_empty_tab_says_so(client, team):
    client.force_login(team.manager)
    assert "No pending requests." in client.get(reverse("approvals:dashboard")).content.decode()


@pytest.mark.parametrize("who", ["manager", "approver"])
def test_dashboard_runs_the_same_queries_for_1_and_200_requests(
    client, team, make_request, who, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    user = getattr(team, who)
    client.force_login(user)
    make_request()
    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse("approvals:dashboard")).status_code == 200
    for _ in range(199):
        make_request()
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(reverse("approvals:dashboard"))
    assert _counts(response)["pending"] == 200
    print(f"dashboard queries ({who}): {len(one.captured_queries)}")
