"""Approvals > Reports: per approver over a period, on known data; the period input; who sees
what; a flat query count; the staff's page in the admin."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from approvals import reports
from approvals.models import RequestStep, StepApprover
from tests.factories import UserFactory, approver, hiring_manager

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


def _decided(make_request, *, by, wait, days_ago=2, decision="approved", **kwargs):
    """A request whose one step reached ``by`` ``days_ago`` days ago and that they decided after ``wait``."""
    approval_request = make_request(approver=by, **kwargs)
    reached = timezone.now() - datetime.timedelta(days=days_ago)
    RequestStep.objects.filter(request=approval_request).update(activated_at=reached)
    StepApprover.objects.filter(request=approval_request).update(decision=decision, decided_at=reached + wait)
    return approval_request


def _waiting(make_request, *, by, days_ago, **kwargs):
    approval_request = make_request(approver=by, **kwargs)
    RequestStep.objects.filter(request=approval_request).update(
        activated_at=timezone.now() - datetime.timedelta(days=days_ago)
    )
    return approval_request


@pytest.fixture
def known_data(team, make_request):
    """Alan decided five requests in the last days (1, 2, 3, 4 and 10 hours after each reached him,
    one declined) and one 40 days ago; Bea has two waiting, reached 3 days and 1 day ago."""
    bea = approver(team.company, full_name="Bea Backup", email="bea@acme.test")
    for hours in (1, 2, 3, 4):
        _decided(make_request, by=team.approver, wait=hours * HOUR)
    _decided(make_request, by=team.approver, wait=10 * HOUR, decision="declined")
    _decided(make_request, by=team.approver, wait=HOUR, days_ago=40)
    _waiting(make_request, by=bea, days_ago=3)
    _waiting(make_request, by=bea, days_ago=1)
    return bea


def test_report_gives_each_approvers_figures_exactly(client, team, known_data):
    client.force_login(team.approver)

    response = client.get(reverse("approvals:reports"))

    assert response.status_code == 200
    figures = {figure.approver.full_name: figure for figure in response.context["figures"]}
    alan, bea = figures["Alan Approver"], figures["Bea Backup"]
    assert (alan.decided, alan.approved, alan.approval_rate) == (5, 4, 80)
    assert alan.median == 3 * HOUR
    assert alan.p90 == datetime.timedelta(hours=7, minutes=36)  # 4 h + 0.6 × (10 h − 4 h)
    assert (alan.pending, alan.oldest_pending_age) == (0, None)
    assert (bea.decided, bea.approval_rate, bea.median, bea.pending) == (0, None, None, 2)
    assert datetime.timedelta(days=3) <= bea.oldest_pending_age < datetime.timedelta(days=3, minutes=5)
    page = response.content.decode()
    assert "80%" in page and "3 h 0 min" in page and "7 h 36 min" in page and "3 d 0 h" in page


def test_python_percentiles_match_postgresqls_percentile_cont():
    waits = [hours * HOUR for hours in (1, 2, 3, 4, 10)]
    assert reports.percentile(waits, 0.5) == 3 * HOUR
    assert reports.percentile(waits, 0.9) == datetime.timedelta(hours=7, minutes=36)
    assert reports.percentile([], 0.5) is None
    assert reports.percentile([HOUR], 0.9) == HOUR


def test_a_chosen_period_counts_only_decisions_in_it(client, team, known_data):
    client.force_login(team.approver)
    today = timezone.localdate()
    start = (today - datetime.timedelta(days=45)).isoformat()
    end = (today - datetime.timedelta(days=35)).isoformat()

    response = client.get(reverse("approvals:reports"), {"start": start, "end": end})

    alan = next(f for f in response.context["figures"] if f.approver == team.approver)
    assert (alan.decided, alan.median) == (1, HOUR)
    assert f'value="{start}"' in response.content.decode()


def test_the_default_period_is_the_last_30_days(client, team):
    client.force_login(team.approver)
    response = client.get(reverse("approvals:reports"))
    today = timezone.localdate()
    assert response.context["start"] == today - datetime.timedelta(days=30)
    assert response.context["end"] == today


@pytest.mark.parametrize("query, message", [
    ({"start": "last tuesday"}, "Enter the first day as a date, e.g. 2026-11-01."),
    ({"end": "2026-02-30"}, "Enter the last day as a date, e.g. 2026-11-30."),
    ({"start": "2026-03-10", "end": "2026-03-01"}, "The first day must be on or before the last day."),
    ({"start": "2020-01-01", "end": "2026-01-01"}, "Choose a period of at most 366 days."),
])
def test_a_bad_period_is_refused_with_a_clear_message(client, team, query, message):
    client.force_login(team.approver)

    response = client.get(reverse("approvals:reports"), query)

    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert response.context["figures"] is None
    assert "Median time to decision" not in page


def test_a_hiring_manager_sees_only_their_own_requests(client, team, make_request, known_data):
    other_manager = hiring_manager(team.company, full_name="Hal Other")
    _decided(make_request, by=known_data, wait=5 * HOUR, requester=other_manager)
    client.force_login(team.manager)

    response = client.get(reverse("approvals:reports"))

    figures = {figure.approver.full_name: figure for figure in response.context["figures"]}
    assert figures["Alan Approver"].decided == 5
    assert figures["Bea Backup"].decided == 0 and figures["Bea Backup"].pending == 2
    assert "your requests" in response.content.decode()
    client.force_login(known_data)  # an approver: the whole company, Hal's request included
    figures = {f.approver.full_name: f for f in client.get(reverse("approvals:reports")).context["figures"]}
    assert figures["Bea Backup"].decided == 1


def test_another_company_is_not_in_the_report(client, team, known_data):
    client.force_login(team.outside_approver)
    response = client.get(reverse("approvals:reports"))
    names = [figure.approver.full_name for figure in response.context["figures"]]
    assert names == ["Oscar Outside"]


def test_a_member_without_a_role_gets_no_report(client, team, known_data):
    client.force_login(team.member)
    response = client.get(reverse("approvals:reports"))
    assert "figures" not in response.context
    assert "neither a hiring manager nor an approver" in response.content.decode()


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_report_query_count_is_flat_from_1_to_50_approvers(client, team, make_request):
    _decided(make_request, by=team.approver, wait=HOUR)
    _waiting(make_request, by=team.approver, days_ago=1)
    client.force_login(team.approver)
    url = reverse("approvals:reports")
    one = _queries(client, url)
    for number in range(49):
        person = approver(team.company, full_name=f"Approver {number:02}")
        _decided(make_request, by=person, wait=(number + 1) * HOUR)
        _decided(make_request, by=person, wait=HOUR, decision="declined")
        _waiting(make_request, by=person, days_ago=2)

    fifty = _queries(client, url)

    assert one == fifty
    assert len(client.get(url).context["figures"]) == 50


def test_staff_see_any_companys_report_in_the_admin(client, team, known_data):
    staff = UserFactory(email="psm@greenlight.test", is_staff=True, is_superuser=True)
    client.force_login(staff)

    response = client.get("/admin/approvals/reports/", {"company": team.company.pk})

    assert response.status_code == 200
    page = response.content.decode()
    assert "Approval reports" in page and "Alan Approver" in page and "80%" in page and "7 h 36 min" in page
    bad = client.get("/admin/approvals/reports/", {"company": team.company.pk, "start": "soon"})
    assert bad.status_code == 400 and "Enter the first day as a date" in bad.content.decode()


def test_non_staff_cannot_open_the_admin_report(client, team):
    client.force_login(team.approver)
    response = client.get("/admin/approvals/reports/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
