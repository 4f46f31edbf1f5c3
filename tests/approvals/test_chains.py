"""Approval chains: a company's policy of steps, copied onto each request and decided step by
step under each step's rule."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Notification
from approvals import selectors, services
from approvals.models import ApprovalRequest, ApprovalTransition, PolicyStep, StepRule
from approvals.tokens import check_decision_token, make_decision_token
from tests.approvals.chain_helpers import ask, chain, initech
from tests.factories import approver, hiring_manager

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return initech()


def _decide(approval_request, user, decision="approve", comment=""):
    return services.approval_request_decide(
        approval_request_id=approval_request.pk, actor=user, decision=decision, comment=comment
    )


# Building the chain

def test_a_request_above_the_threshold_gets_both_steps_the_first_active(people):
    approval_request = ask(people, amount="6000")
    assert chain(approval_request) == [
        ("Team lead", "active", [("lead@initech.test", "pending")]),
        ("Finance", "waiting", [("controller@initech.test", "pending"), ("cfo@initech.test", "pending")]),
    ]
    finance = approval_request.steps.get(name="Finance")
    assert finance.condition == "When the amount is at least 5,000.00 USD fixed or 100.00 USD an hour"
    assert finance.condition_outcome == "Applies: 6,000.00 USD is at least 5,000.00 USD."
    assert approval_request.approver is None  # nobody was chosen: the policy names them


@pytest.mark.parametrize("amount, contract, applies", [
    ("4999.99", "fixed", False), ("5000", "fixed", True),
    ("99.99", "hourly", False), ("100", "hourly", True),
])
def test_the_condition_applies_at_or_above_the_threshold_of_the_contract_type(
    people, amount, contract, applies
):
    approval_request = ask(people, amount=amount, contract_type=contract, weekly_hour_limit=None)
    finance = approval_request.steps.get(name="Finance")
    assert finance.state == ("waiting" if applies else "skipped")
    if not applies:
        assert finance.condition_outcome.startswith("Skipped: ")
        assert set(finance.approvers.values_list("decision", flat=True)) == {"not_needed"}


def test_a_request_in_another_currency_gets_the_conditional_step_and_says_why(people):
    approval_request = ask(people, amount="10", currency="EUR")
    finance = approval_request.steps.get(name="Finance")
    assert finance.state == "waiting"
    assert finance.condition_outcome == (
        "Applies: the request is in EUR and the threshold in USD, so they cannot be compared."
    )


def test_the_chain_is_fixed_when_the_request_is_created(people):
    approval_request = ask(people)
    before = chain(approval_request)
    newcomer = approver(people.company, email="new@initech.test")
    people.finance_step.approvers.set([newcomer])
    people.finance_step.rule = StepRule.ANY
    people.finance_step.save()
    PolicyStep.objects.create(policy=people.policy, position=3, name="Legal", rule=StepRule.ANY)
    assert chain(approval_request) == before
    _decide(approval_request, people.lead)
    _decide(approval_request, people.cfo)
    approval_request.refresh_from_db()
    assert approval_request.state == "pending"  # Finance still needs the controller, as copied


def test_the_requester_is_left_out_of_every_step(people):
    # The CFO is also a hiring manager: their own request skips them in Finance, and "all"
    # then means the controller alone.
    people.cfo.membership.is_hiring_manager = True
    people.cfo.membership.save()
    approval_request = ask(people, requester=people.cfo)
    assert chain(approval_request)[1] == ("Finance", "waiting", [("controller@initech.test", "pending")])
    assert approval_request.steps.get(name="Finance").required_count == 1


def test_a_step_that_cannot_be_satisfied_refuses_the_request_naming_it(people):
    people.lead.membership.is_hiring_manager = True
    people.lead.membership.save()
    with pytest.raises(services.ApprovalError, match="The step “Team lead” has no approver"):
        ask(people, requester=people.lead)
    assert not ApprovalRequest.objects.exists()


def test_at_least_n_needs_n_eligible_approvers_or_refuses(people):
    people.finance_step.rule, people.finance_step.required_count = StepRule.AT_LEAST, 2
    people.finance_step.save()
    people.controller.is_active = False
    people.controller.save()
    with pytest.raises(services.ApprovalError, match="“Finance” needs 2 approvals but only 1"):
        ask(people)


def test_a_policy_that_does_not_cover_the_offer_type_refuses_the_request(people):
    people.policy.applies_to = "byo_payroll"
    people.policy.save()
    refusal = "Direct contract offers at Initech Test are sent without approval"
    with pytest.raises(services.ApprovalError, match=refusal):
        ask(people)


def test_a_request_none_of_whose_steps_apply_is_refused(people):
    people.lead_step.condition_currency, people.lead_step.min_fixed_price = "USD", Decimal("1000")
    people.lead_step.save()
    with pytest.raises(services.ApprovalError, match="No step of your company's approval policy applies"):
        ask(people, amount="10")


def test_without_a_policy_the_requester_chooses_the_one_approver(team):
    approval_request = services.approval_request_create(
        requester=team.manager, approver=team.approver, title="T", amount=Decimal("5"),
        start_date=timezone.localdate(), freelancer=team.freelancer,
    )
    assert chain(approval_request) == [("Approver", "active", [("alan@acme.test", "pending")])]
    assert approval_request.approver == team.approver


# Deciding under each rule

def test_any_one_passes_the_step_and_activates_the_next_with_its_approvers_notified(people):
    approval_request = ask(people)
    new = Notification.objects.filter(kind="approval-new")
    assert list(new.values_list("recipient__email", flat=True)) == ["lead@initech.test"]
    _decide(approval_request, people.lead, comment="Fine by me")
    assert chain(approval_request)[0] == ("Team lead", "passed", [("lead@initech.test", "approved")])
    assert chain(approval_request)[1][1] == "active"
    assert sorted(new.values_list("recipient__email", flat=True)) == [
        "cfo@initech.test", "controller@initech.test", "lead@initech.test",
    ]
    # The requester sees the step pass in-app only; no final email yet.
    passed = Notification.objects.get(kind="approval-step-passed")
    assert passed.recipient == people.manager and passed.email_state == "skipped"
    assert not Notification.objects.filter(kind="approval-decision").exists()


def test_all_needs_every_approver_then_the_request_is_approved_and_the_requester_emailed(people):
    approval_request = ask(people)
    _decide(approval_request, people.lead)
    _decide(approval_request, people.cfo)
    approval_request.refresh_from_db()
    assert approval_request.state == "pending"
    _decide(approval_request, people.controller)
    approval_request.refresh_from_db()
    assert approval_request.state == "approved"
    assert approval_request.decided_by_names == "Leo Lead, Cora Cfo, Carl Controller"
    decision = Notification.objects.get(kind="approval-decision")
    assert decision.recipient == people.manager and decision.email_state == "pending"
    # One audit entry per decision: two within steps, then the approval of the request.
    entries = list(
        ApprovalTransition.objects.filter(request=approval_request)
        .values_list("name", "step_name", "source_state", "target_state", "actor__email")
    )
    assert entries == [
        ("create", "", "", "pending", "irene@initech.test"),
        ("approve", "Team lead", "pending", "pending", "lead@initech.test"),
        ("approve", "Finance", "pending", "pending", "cfo@initech.test"),
        ("approve", "Finance", "pending", "approved", "controller@initech.test"),
    ]


def test_at_least_n_passes_at_n_and_the_others_are_no_longer_needed(people):
    third = approver(people.company, full_name="Tess Third", email="third@initech.test")
    people.finance_step.approvers.add(third)
    people.finance_step.rule, people.finance_step.required_count = StepRule.AT_LEAST, 2
    people.finance_step.save()
    approval_request = ask(people)
    _decide(approval_request, people.lead)
    _decide(approval_request, people.cfo)
    _decide(approval_request, third)
    approval_request.refresh_from_db()
    assert approval_request.state == "approved"
    assert dict(chain(approval_request)[1][2])["controller@initech.test"] == "not_needed"
    with pytest.raises(services.ApprovalError, match="request is approved"):
        _decide(approval_request, people.controller)


def test_the_first_decline_declines_the_request_and_nobody_else_is_needed(people):
    approval_request = ask(people)
    _decide(approval_request, people.lead)
    _decide(approval_request, people.cfo, "decline", "Over budget")
    approval_request.refresh_from_db()
    assert approval_request.state == "declined"
    assert approval_request.decided_by_names == "Cora Cfo"
    assert chain(approval_request)[1] == (
        "Finance", "declined", [("controller@initech.test", "not_needed"), ("cfo@initech.test", "declined")]
    )


def test_a_later_steps_approver_can_open_the_request_but_not_decide_before_their_step(client, people):
    approval_request = ask(people)
    with pytest.raises(services.ApprovalError, match="Your step “Finance” comes later"):
        _decide(approval_request, people.cfo)
    client.force_login(people.cfo)
    page = client.get(reverse("approvals:detail", args=[approval_request.pk])).content.decode()
    assert "Approval chain" in page and "Your step “Finance” comes later" in page
    assert 'name="decision"' not in page


def test_awaiting_your_decision_is_only_for_the_active_steps_undecided_approvers(people):
    approval_request = ask(people)

    def awaiting(user):
        return [
            r.pk for r in selectors.approval_requests_for_dashboard(user=user, tab="pending")
            if r.awaiting_me == 0
        ]

    assert awaiting(people.lead) == [approval_request.pk]
    assert awaiting(people.cfo) == []
    _decide(approval_request, people.lead)
    assert awaiting(people.lead) == []
    assert awaiting(people.cfo) == [approval_request.pk] == awaiting(people.controller)
    _decide(approval_request, people.cfo)
    assert awaiting(people.cfo) == [] and awaiting(people.controller) == [approval_request.pk]


# One-click links

def test_each_approvers_link_is_bound_to_their_step_and_shows_the_state_once_the_step_passed(
    client, people
):
    approval_request = ask(people)
    _decide(approval_request, people.lead)
    seats = {seat.approver.email: seat for seat in approval_request.step_approvers.select_related("approver")}
    cfo_link = make_decision_token(
        approval_request=approval_request, seat=seats["cfo@initech.test"], action="approve"
    )
    controller_link = make_decision_token(
        approval_request=approval_request, seat=seats["controller@initech.test"], action="approve"
    )
    assert check_decision_token(cfo_link).status == "ok"
    client.post(reverse("approvals:email_decision", args=[cfo_link]))
    assert check_decision_token(cfo_link).status == "used"
    assert check_decision_token(controller_link).status == "ok"
    client.post(reverse("approvals:email_decision", args=[controller_link]))
    approval_request.refresh_from_db()
    assert approval_request.state == "approved"
    page = client.get(reverse("approvals:email_decision", args=[controller_link])).content.decode()
    assert "Approved" in page


def test_a_link_for_a_later_step_waits_and_changes_nothing(client, people):
    approval_request = ask(people)
    seat = approval_request.step_approvers.get(approver=people.cfo)
    link = make_decision_token(approval_request=approval_request, seat=seat, action="approve")
    assert check_decision_token(link).status == "early"
    response = client.post(reverse("approvals:email_decision", args=[link]))
    assert "comes later" in response.content.decode()
    seat.refresh_from_db()
    assert seat.decision == "pending"


def test_an_approvers_link_for_a_passed_step_does_not_decide_their_seat_on_the_next_one(client, people):
    """The lead sits on both steps: the email of the first step, posted once the second is the
    active one, is a used link. It decides nothing, though the lead may decide the second step
    (the link posts straight to the decision service, which is told the link's seat)."""
    people.finance_step.approvers.add(people.lead)
    approval_request = ask(people)
    first = approval_request.step_approvers.get(approver=people.lead, step__position=1)
    link = make_decision_token(approval_request=approval_request, seat=first, action="approve")
    client.post(reverse("approvals:email_decision", args=[link]))
    before = chain(approval_request)
    assert before[1][:2] == ("Finance", "active") and ("lead@initech.test", "pending") in before[1][2]
    transitions = ApprovalTransition.objects.filter(request=approval_request).count()
    response = client.post(reverse("approvals:email_decision", args=[link]), follow=True)
    page = response.content.decode()
    assert "You approved the step “Team lead” of this request" in page
    assert "This link cannot change it" in page
    assert chain(approval_request) == before
    assert ApprovalTransition.objects.filter(request=approval_request).count() == transitions
    finance = approval_request.step_approvers.get(approver=people.lead, step__position=2)
    second = make_decision_token(approval_request=approval_request, seat=finance, action="approve")
    client.post(reverse("approvals:email_decision", args=[second]))
    finance.refresh_from_db()
    assert finance.decision == "approved"


def test_a_link_names_its_step_and_cannot_be_moved_to_another_approver(people):
    approval_request = ask(people)
    seat = approval_request.step_approvers.get(approver=people.lead)
    token = make_decision_token(approval_request=approval_request, seat=seat, action="approve")
    from django.core import signing

    from approvals.tokens import SALT

    payload = signing.loads(token, salt=SALT)
    payload["u"] = people.cfo.pk  # a forged payload must be re-signed, which only we can do
    forged = token.rsplit(":", 2)[0] + ":" + signing.dumps(payload, salt=SALT).rsplit(":", 2)[1]
    assert check_decision_token(forged).status == "invalid"


# Pages

def test_the_request_page_shows_each_step_its_rule_condition_and_each_approvers_status(client, people):
    approval_request = ask(people)
    _decide(approval_request, people.lead, comment="Good hire")
    client.force_login(people.manager)
    page = client.get(reverse("approvals:detail", args=[approval_request.pk])).content.decode()
    for text in (
        "Team lead", "Any one approves", "Leo Lead", "<strong>approved</strong>", "Good hire",
        "Finance", "All must approve", "When the amount is at least 5,000.00 USD fixed",
        "Cora Cfo", "waiting for their decision",
        "Approved the step “Team lead”",
    ):
        assert text in page, text


def test_a_skipped_step_says_so_on_the_page(client, people):
    approval_request = ask(people, amount="100")
    client.force_login(people.manager)
    page = client.get(reverse("approvals:detail", args=[approval_request.pk])).content.decode()
    assert "Skipped: 100.00 USD is below 5,000.00 USD." in page
    assert "the step was skipped because its condition did not apply" in page


def test_the_request_form_shows_no_approver_field_when_the_policy_names_them(client, people):
    client.force_login(people.manager)
    page = client.get(reverse("approvals:create")).content.decode()
    assert 'name="approver"' not in page


@pytest.mark.parametrize("size", [1, 500])
def test_dashboard_query_count_is_flat_with_two_step_requests(
    client, people, size, django_assert_max_num_queries
):
    for i in range(size):
        ask(people, title=f"Request {i}", amount=str(6000 + i))
    client.force_login(people.cfo)
    with django_assert_max_num_queries(_DASHBOARD_QUERIES) as captured:
        response = client.get(reverse("approvals:dashboard"))
    assert response.status_code == 200
    assert "Team lead (1 of 2)" in response.content.decode()
    _QUERY_COUNTS[size] = len(captured)
    if len(_QUERY_COUNTS) == 2:
        assert _QUERY_COUNTS[1] == _QUERY_COUNTS[500], _QUERY_COUNTS


_DASHBOARD_QUERIES = 16
_QUERY_COUNTS: dict[int, int] = {}


def test_a_hiring_manager_of_another_company_cannot_see_the_chain(client, people):
    approval_request = ask(people)
    client.force_login(hiring_manager())
    assert client.get(reverse("approvals:detail", args=[approval_request.pk])).status_code == 404


def test_the_request_form_shows_who_approves_under_the_policy(client, people):
    client.force_login(people.manager)
    page = client.get(reverse("approvals:create")).content.decode()
    assert "Who approves" in page
    assert "<strong>Team lead</strong>: Leo Lead (any one approves)" in page
    assert "Only when the amount is at least 5,000.00 USD fixed or 100.00 USD an hour" in page


def test_the_request_form_of_a_default_policy_shows_no_chain(client, team):
    client.force_login(team.manager)
    assert "Who approves" not in client.get(reverse("approvals:create")).content.decode()
