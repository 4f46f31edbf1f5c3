"""Bulk decisions on the Pending tab: several requests approved or declined with one comment
after one confirmation, each by the same service and rules as alone; refusals listed with
their reasons while the others are decided."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Notification
from approvals import services
from approvals.models import ApprovalRequest, Decision, State, StepApprover
from tests.approvals.chain_helpers import ask, initech
from tests.factories import approver, move_past_expiry, pending_request

pytestmark = pytest.mark.django_db

URL = reverse("approvals:decide_many")


def _decide(client, ids, decision="approve", comment="", confirm=True, **extra):
    data = {"ids": [str(pk) for pk in ids], "decision": decision, "comment": comment, **extra}
    if confirm:
        data["confirm"] = "yes"
    return client.post(URL, data)


def _states(*requests):
    return [ApprovalRequest.objects.get(pk=r.pk).state for r in requests]


def test_approver_approves_several_requests_at_once(client, team, make_request):
    first, second, third = (make_request(title=f"Request {n}") for n in range(3))
    client.force_login(team.approver)

    response = _decide(client, [first.pk, third.pk], comment="Fine by me.")

    page = response.content.decode()
    assert response.status_code == 200
    assert "Approved 2 requests" in page
    assert f"#{first.pk} Request 0</a>: approved; Maria Manager has been told." in page
    assert f"#{third.pk} Request 2</a>: approved" in page
    assert "Not decided" not in page
    assert _states(first, second, third) == [State.APPROVED, State.PENDING, State.APPROVED]
    assert ApprovalRequest.objects.get(pk=first.pk).decision_comment == "Fine by me."
    assert Notification.objects.filter(
        recipient=team.manager, kind=Notification.Kind.APPROVAL_DECISION
    ).count() == 2


def test_approving_several_asks_once_listing_what_will_be_approved(client, team, make_request):
    first, second = make_request(title="Billing rewrite"), make_request(title="Data import")
    client.force_login(team.approver)

    response = _decide(client, [first.pk, second.pk], comment="Both fine.", confirm=False)

    page = response.content.decode()
    assert "Approve 2 requests?" in page
    assert f"#{first.pk} Billing rewrite: Ada Lovelace" in page
    assert f"#{second.pk} Data import: Ada Lovelace" in page
    assert "Both fine." in page
    assert '<input type="hidden" name="confirm" value="yes">' in page
    assert f'<input type="hidden" name="ids" value="{first.pk}">' in page
    assert _states(first, second) == [State.PENDING, State.PENDING]


def test_decline_confirms_first_then_declines_each_with_the_comment(client, team, make_request):
    first, second = make_request(title="Billing rewrite"), make_request(title="Data import")
    client.force_login(team.approver)

    page = _decide(client, [first.pk, second.pk], "decline", "Over budget.", confirm=False).content.decode()

    assert "Decline 2 requests?" in page
    assert "A declined request cannot be approved later." in page
    assert "Yes, decline 2 requests" in page
    assert _states(first, second) == [State.PENDING, State.PENDING]

    page = _decide(client, [first.pk, second.pk], "decline", "Over budget.").content.decode()

    assert "Declined 2 requests" in page
    assert _states(first, second) == [State.DECLINED, State.DECLINED]
    assert set(ApprovalRequest.objects.values_list("decision_comment", flat=True)) == {"Over budget."}


def test_some_refused_are_listed_with_reasons_while_the_others_are_decided(client):
    people = initech()
    at_finance = ask(people, title="Billing rewrite")
    services.approval_request_approve(approval_request_id=at_finance.pk, actor=people.lead)
    at_team_lead = ask(people, title="Data import")
    expired = ask(people, title="Old migration")
    services.approval_request_approve(approval_request_id=expired.pk, actor=people.lead)
    move_past_expiry(expired)
    already = ask(people, title="Search revamp")
    services.approval_request_approve(approval_request_id=already.pk, actor=people.lead)
    services.approval_request_approve(approval_request_id=already.pk, actor=people.cfo)
    elsewhere = pending_request(title="Secret merger")
    client.force_login(people.cfo)

    response = _decide(
        client, [expired.pk, at_finance.pk, at_team_lead.pk, already.pk, elsewhere.pk], comment="OK."
    )

    page = response.content.decode()
    assert "Approved 1 request" in page
    assert f"#{at_finance.pk} Billing rewrite</a>: your approval is recorded" in page
    assert f"#{expired.pk} Old migration: This request has expired." in page
    assert (
        f"#{at_team_lead.pk} Data import: Your step “Finance” comes later: you can decide once "
        "the steps before it are approved."
    ) in page
    assert f"#{already.pk} Search revamp: You already approved this request." in page
    assert f"#{elsewhere.pk}: Not found: it is not one of your requests." in page
    assert "Secret merger" not in page
    cfo_seat = StepApprover.objects.get(request=at_finance, approver=people.cfo)
    assert (cfo_seat.decision, cfo_seat.comment) == (Decision.APPROVED, "OK.")
    assert _states(at_finance, at_team_lead, expired, already, elsewhere) == [State.PENDING] * 5
    assert StepApprover.objects.get(request=at_team_lead, approver=people.cfo).decision == Decision.PENDING


def test_a_refusal_never_undoes_the_decisions_before_it(team, make_request):
    decided, stale = make_request(title="Fine"), move_past_expiry(make_request(title="Stale"))
    after = make_request(title="Also fine")

    result = services.approval_requests_decide_many(
        ids=[decided.pk, stale.pk, after.pk], actor=team.approver, decision="approve", comment=""
    )

    assert [r.pk for r in result.decided] == [decided.pk, after.pk]
    assert [str(refusal) for refusal in result.refused] == [f"#{stale.pk} Stale: This request has expired."]
    assert _states(decided, stale, after) == [State.APPROVED, State.PENDING, State.APPROVED]


def test_a_colleagues_request_of_the_same_company_is_not_found(client, team, make_request):
    colleague = approver(team.company, full_name="Cleo Colleague")
    theirs = make_request(title="Cleo's hire", approver=colleague)
    mine = make_request(title="Mine")
    client.force_login(team.approver)

    page = _decide(client, [theirs.pk, mine.pk]).content.decode()

    assert f"#{theirs.pk}: Not found" in page and "Cleo's hire" not in page
    assert _states(theirs, mine) == [State.PENDING, State.APPROVED]


def test_select_all_on_this_page_without_javascript(client, team, make_request):
    requests = [make_request(title=f"Hire {n}") for n in range(3)]
    not_mine = make_request(title="Someone else's", approver=approver(team.company))
    client.force_login(team.approver)
    dashboard = client.get(reverse("approvals:dashboard")).content.decode()
    page_ids = re.findall(r'<input type="hidden" name="page_ids" value="(\d+)">', dashboard)
    assert sorted(map(int, page_ids)) == sorted(r.pk for r in requests)
    assert 'name="all_on_page"' in dashboard and "Select all on this page" in dashboard

    confirm = client.post(URL, {"all_on_page": "on", "page_ids": page_ids, "decision": "approve"})
    assert "Approve 3 requests?" in confirm.content.decode()
    response = client.post(
        URL, {"all_on_page": "on", "page_ids": page_ids, "decision": "approve", "confirm": "yes"}
    )

    assert "Approved 3 requests" in response.content.decode()
    assert _states(*requests, not_mine) == [State.APPROVED] * 3 + [State.PENDING]


def test_page_ids_without_select_all_are_not_decided(client, team, make_request):
    ticked, unticked = make_request(title="Ticked"), make_request(title="Unticked")
    client.force_login(team.approver)

    _decide(client, [ticked.pk], page_ids=[str(ticked.pk), str(unticked.pk)])

    assert _states(ticked, unticked) == [State.APPROVED, State.PENDING]


def test_empty_selection_says_so_keeps_the_comment_and_changes_nothing(client, team, make_request):
    pending = make_request(title="Billing rewrite")
    client.force_login(team.approver)

    response = client.post(URL, {
        "decision": "decline", "comment": "Over budget this quarter.", "page_ids": [str(pending.pk)],
    })

    page = response.content.decode()
    assert response.status_code == 400
    assert "Select at least one request: tick its box, or “Select all on this page”." in page
    assert "Over budget this quarter.</textarea>" in page
    assert f'<input type="checkbox" name="ids" value="{pending.pk}">' in page  # offered again
    assert _states(pending) == [State.PENDING]


def test_comment_too_long_is_refused_with_the_selection_and_comment_kept(client, team, make_request):
    pending = make_request(title="Billing rewrite")
    client.force_login(team.approver)

    response = _decide(client, [pending.pk], comment="x" * 2001)

    page = response.content.decode()
    assert response.status_code == 400
    assert "Ensure this value has at most 2000 characters" in page
    assert f'name="ids" value="{pending.pk}" checked' in page
    assert "x" * 2001 + "</textarea>" in page
    assert _states(pending) == [State.PENDING]


def test_more_than_the_limit_is_refused_whole(client, team, make_request):
    pending = make_request(title="Billing rewrite")
    client.force_login(team.approver)
    ids = [pending.pk] + list(range(10**6, 10**6 + services.BULK_DECISION_LIMIT))

    response = _decide(client, ids)

    assert response.status_code == 400
    assert f"Select at most {services.BULK_DECISION_LIMIT} requests at once." in response.content.decode()
    assert _states(pending) == [State.PENDING]
    with pytest.raises(services.ApprovalError, match="at most 50"):
        services.approval_requests_decide_many(ids=ids, actor=team.approver, decision="approve")


@pytest.mark.parametrize("bad_id", ["abc", "-3", str(2**63)])
def test_an_id_that_is_not_a_request_id_is_refused(client, team, make_request, bad_id):
    pending = make_request(title="Billing rewrite")
    client.force_login(team.approver)

    response = client.post(URL, {"ids": [str(pending.pk), bad_id], "decision": "approve", "confirm": "yes"})

    assert response.status_code == 400
    assert "Choose the requests from the Pending list." in response.content.decode()
    assert _states(pending) == [State.PENDING]


def test_missing_decision_is_refused(client, team, make_request):
    pending = make_request(title="Billing rewrite")
    client.force_login(team.approver)

    response = client.post(URL, {"ids": [str(pending.pk)], "confirm": "yes"})

    assert response.status_code == 400
    assert "Choose Approve selected or Decline selected." in response.content.decode()
    assert _states(pending) == [State.PENDING]


def test_nothing_decidable_goes_straight_to_the_reasons(client, team, make_request):
    stale = move_past_expiry(make_request(title="Stale"))
    client.force_login(team.approver)

    page = _decide(client, [stale.pk], "decline", confirm=False).content.decode()

    assert "Nothing was decided" in page
    assert f"#{stale.pk} Stale: This request has expired." in page
    assert _states(stale) == [State.PENDING]


def test_get_is_refused(client, team):
    client.force_login(team.approver)
    assert client.get(URL).status_code == 405


def test_freelancers_get_404(client, team):
    client.force_login(team.freelancer)
    assert client.post(URL, {"ids": ["1"], "decision": "approve"}).status_code == 404


def test_only_rows_awaiting_the_user_get_a_checkbox_named_for_the_request(client, team, make_request):
    mine = make_request(title="Billing rewrite")
    make_request(title="Colleague's", approver=approver(team.company))  # not visible to Alan
    stale = move_past_expiry(make_request(title="Stale"))
    client.force_login(team.approver)

    page = client.get(reverse("approvals:dashboard")).content.decode()

    assert re.findall(r'name="ids" value="(\d+)" form="decide-many"', page) == [str(mine.pk)]
    assert f'<span class="visually-hidden">Select #{mine.pk} Billing rewrite</span>' in page
    assert f"Select #{stale.pk}" not in page
    assert "Approve selected" in page and "Decline selected" in page


def test_a_hiring_manager_sees_no_bulk_form(client, team, make_request):
    make_request(title="Billing rewrite")
    client.force_login(team.manager)

    page = client.get(reverse("approvals:dashboard")).content.decode()

    assert "Billing rewrite" in page
    assert "decide-many" not in page and "Select all on this page" not in page


def test_other_tabs_have_no_bulk_form(client, team, make_request):
    make_request(title="Billing rewrite")
    client.force_login(team.approver)

    page = client.get(reverse("approvals:dashboard"), {"tab": "approved"}).content.decode()

    assert "No approved requests." in page and "decide-many" not in page


def _queries_to_decide(client, team, make_request, count):
    ids = [make_request(title=f"Hire {count}-{n}").pk for n in range(count)]
    client.force_login(team.approver)
    with CaptureQueriesContext(connection) as captured:
        response = _decide(client, ids)
    assert f"Approved {count} request" in response.content.decode()
    return len(captured.captured_queries)


def test_each_decided_request_costs_the_same_fixed_number_of_queries(client, team, make_request):
    one = _queries_to_decide(client, team, make_request, 1)
    two = _queries_to_decide(client, team, make_request, 2)
    per_request = two - one

    assert per_request <= 25
    assert _queries_to_decide(client, team, make_request, 10) == one + 9 * per_request


def test_the_dashboard_with_checkboxes_runs_the_same_queries_for_2_and_20_rows(
    client, team, make_request, django_assert_max_num_queries
):
    for n in range(2):
        make_request(title=f"Hire {n}")
    client.force_login(team.approver)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("approvals:dashboard"))
    for n in range(2, 20):
        make_request(title=f"Hire {n}")

    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("approvals:dashboard")).content.decode()

    assert page.count('form="decide-many"') == 20


def test_the_confirmation_says_how_many_selected_cannot_be_decided(client, team, make_request):
    fine, stale = make_request(title="Fine"), move_past_expiry(make_request(title="Stale"))
    client.force_login(team.approver)

    page = _decide(client, [fine.pk, stale.pk], confirm=False).content.decode()

    assert "Approve 1 request?" in page
    assert "1 other selected request cannot be decided by you; the result will say why." in page
    assert f"#{fine.pk} Fine: Ada Lovelace" in page and f"#{stale.pk} Stale" not in page
    assert _states(fine, stale) == [State.PENDING, State.PENDING]
