"""The busy approval pages and the approve POST run a fixed, exact number of queries, whatever
the number of rows, steps or approvers (the dashboard's entries, the chain read once under the
lock, one write for a step's notifications)."""

import pytest
from django.urls import reverse

from approvals import selectors
from approvals.models import ApprovalTransition, PolicyStep, State, StepApprover
from approvals.tokens import make_decision_token
from tests.approvals.initech import ask, initech
from tests.factories import approver

pytestmark = pytest.mark.django_db

# Rendered (the page cache's key does not hold): session, the page cache's key (the reader's
# page touches, accounts.pagecache), user (with the delegation/escalation flags:
# selectors.signed_in_user_annotations), the tab counts (kept, with the top bar's count), the
# first page's entries with their requests, their seats with steps and approvers.
APPROVER_DASHBOARD = 6
# The manager's Pending tab: no open seat of theirs (the kept counts say so), so the same, without
# the top bar's count.
MANAGER_DASHBOARD = 6
# Session, the page cache's key, user with the flags, the request, steps, seats, timeline,
# offers (the resubmissions come with the request), the top bar's count.
REQUEST_PAGE = 9
# Session, user; savepoint, lock, steps, seats (which also say the approver may see it: no read
# before the lock); the seat, the step (its only approver: nobody else to mark not needed); the
# request, the audit entry; the notification (its recipient's muted kinds asked by the INSERT,
# its id returned); release.
APPROVE_POST_FINAL = 12
# As above, the request's row unchanged but the next step activated, and its approvers'
# delegations read: the requester's and every next approver's notifications in one write.
APPROVE_POST_STEP_PASSED = 13
# The approver with their membership (the link's signature names the seat: it is not read
# before the decision, which reads it under the lock); then the decision as above.
EMAIL_APPROVE_POST_FINAL = 11


def _make(people, n, **kwargs):
    return [ask(people, title=f"Billing rewrite {i}", **kwargs) for i in range(n)]


@pytest.mark.parametrize("size", [1, 40])
def test_an_approvers_dashboard_runs_the_same_queries_for_1_and_40_requests(
    client, size, django_assert_num_queries
):
    people = initech()
    _make(people, size)
    client.force_login(people.lead)
    with django_assert_num_queries(APPROVER_DASHBOARD):
        page = client.get(reverse("approvals:dashboard")).content.decode()
    assert page.count("Awaiting your decision") == min(size, 20)
    assert f'{size}<span class="visually-hidden"> awaiting your decision' in page
    assert "Team lead (1 of 2)" in page


@pytest.mark.parametrize("size", [1, 40])
def test_a_managers_dashboard_runs_the_same_queries_for_1_and_40_requests(
    client, size, django_assert_num_queries
):
    people = initech()
    _make(people, size)
    client.force_login(people.manager)
    with django_assert_num_queries(MANAGER_DASHBOARD):
        page = client.get(reverse("approvals:dashboard")).content.decode()
    assert page.count("Billing rewrite") == min(size, 20)
    assert "Leo Lead" in page


@pytest.mark.parametrize("size", [1, 30])
def test_the_request_page_runs_the_same_queries_with_a_short_or_long_timeline(
    client, size, django_assert_num_queries
):
    people = initech()
    [approval_request] = _make(people, 1)
    ApprovalTransition.objects.bulk_create([
        ApprovalTransition(request=approval_request, actor=people.lead, name="note",
                           source_state="pending", target_state="pending")
        for _ in range(size)
    ])
    client.force_login(people.lead)
    with django_assert_num_queries(REQUEST_PAGE):
        page = client.get(reverse("approvals:detail", args=[approval_request.pk])).content.decode()
    assert "Your decision" in page


def test_approving_from_the_page_runs_a_fixed_number_of_queries(client, django_assert_num_queries):
    people = initech()
    [approval_request] = _make(people, 1, amount="100")  # Finance skipped: one step
    client.force_login(people.lead)
    url = reverse("approvals:decide", args=[approval_request.pk])
    with django_assert_num_queries(APPROVE_POST_FINAL):
        response = client.post(url, {"decision": "approve", "comment": ""})
    assert response.status_code == 302
    approval_request.refresh_from_db()
    assert approval_request.state == State.APPROVED
    assert approval_request.decided_by_names == "Leo Lead"


@pytest.mark.parametrize("finance_approvers", [2, 6])
def test_passing_a_step_runs_the_same_queries_for_2_or_6_next_approvers(
    client, finance_approvers, django_assert_num_queries
):
    people = initech()
    extra = [approver(people.company, full_name=f"Fin {i}") for i in range(finance_approvers - 2)]
    PolicyStep.objects.get(pk=people.finance.pk).approvers.add(*extra)
    [approval_request] = _make(people, 1)
    client.force_login(people.lead)
    url = reverse("approvals:decide", args=[approval_request.pk])
    with django_assert_num_queries(APPROVE_POST_STEP_PASSED):
        response = client.post(url, {"decision": "approve", "comment": ""})
    assert response.status_code == 302
    waiting = StepApprover.objects.filter(request=approval_request, step__name="Finance", decision="pending")
    assert waiting.count() == finance_approvers
    asked = f"approval-new:{approval_request.pk}:"
    for seat in waiting:
        assert seat.approver.notifications.filter(key__startswith=asked).exists()
    assert people.manager.notifications.filter(kind="approval-step-passed").count() == 1


def test_approving_from_the_email_link_runs_a_fixed_number_of_queries(client, django_assert_num_queries):
    people = initech()
    [approval_request] = _make(people, 1, amount="100")
    seat = StepApprover.objects.get(request=approval_request, approver=people.lead)
    token = make_decision_token(approval_request=approval_request, seat=seat, action="approve")
    with django_assert_num_queries(EMAIL_APPROVE_POST_FINAL):
        response = client.post(reverse("approvals:email_decision", args=[token]), {"comment": ""})
    assert response.status_code == 302
    approval_request.refresh_from_db()
    assert approval_request.state == State.APPROVED


def test_a_searched_count_past_its_cap_shows_as_more(client, monkeypatch):
    monkeypatch.setattr(selectors, "SEARCH_COUNT_CAP", 3)
    people = initech()
    _make(people, 5)
    client.force_login(people.lead)
    searched = client.get(f"{reverse('approvals:dashboard')}?q=Billing").content.decode()
    assert '<span class="count">3+</span>' in searched
    assert "Billing rewrite 4" in searched and "Billing rewrite 0" in searched
    plain = client.get(reverse("approvals:dashboard")).content.decode()
    assert '<span class="count">5</span>' in plain
