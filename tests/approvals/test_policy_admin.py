"""Staff edit a company's approval policy in the admin: steps in order, approvers limited to
the company's, every refusal a clear message that saves nothing, warnings for every hiring
manager the saved policy leaves without a possible approval."""

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import Membership
from approvals.models import ApprovalPolicy, ApprovalRequest, PolicyStep
from tests.approvals.initech import (
    ask,
    initech,
    policy_post,
    program_success_manager,
    saved_steps,
    step_data,
)
from tests.factories import CompanyFactory, UserFactory, approver, hiring_manager

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(db):
    return initech()


@pytest.fixture
def admin_client(client, db):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def change_url(policy):
    return reverse("admin:approvals_approvalpolicy_change", args=[policy.pk])


def steps_of(people, **finance):
    return [step_data(people.team_lead), step_data(people.finance, **finance)]


def test_change_page_shows_the_steps_in_order_and_only_the_company_approvers(admin_client, people):
    outsider = approver(CompanyFactory(name="Other Test"), full_name="Oscar Outside")
    response = admin_client.get(change_url(people.policy))
    page = response.content.decode()
    assert response.status_code == 200
    assert page.index("Team lead") < page.index("Finance")
    for person in (people.lead, people.cfo, people.controller):
        assert f"{person.full_name} &lt;{person.email}&gt;" in page
    assert "Oscar Outside" not in page and outsider.email not in page
    assert "Irene Manager &lt;" not in page  # a hiring manager without the approver role


def test_staff_save_a_changed_step_and_a_new_one(admin_client, people):
    extra = approver(people.company, full_name="Nina New")
    post = policy_post(people.policy, [
        step_data(people.team_lead, rule="at_least", required_count=2,
                  approvers=[people.lead.pk, extra.pk]),
        step_data(people.finance, min_fixed_price="7500.00"),
        step_data(position=3, name="Legal", rule="any", approvers=[extra.pk]),
    ])
    response = admin_client.post(change_url(people.policy), post)
    assert response.status_code == 302
    steps = list(people.policy.steps.order_by("position"))
    assert [step.name for step in steps] == ["Team lead", "Finance", "Legal"]
    assert (steps[0].rule, steps[0].required_count) == ("at_least", 2)
    assert steps[1].min_fixed_price == Decimal("7500.00")
    assert list(steps[2].approvers.all()) == [extra]


@pytest.mark.parametrize(("change", "message"), [
    (lambda people: {"rule": "at_least", "required_count": 3},
     "“Finance” needs at least 3 approvals but has 2 approvers."),
    (lambda people: {"rule": "at_least", "required_count": ""}, "“Finance”: give N for “at least N”."),
    (lambda people: {"min_fixed_price": "", "min_hourly_rate": ""},
     "“Finance”: give a threshold for the condition&#x27;s currency, or clear it."),
    (lambda people: {"condition_currency": ""}, "“Finance”: choose the currency of the thresholds."),
    (lambda people: {"approvers": []},
     "“Finance” needs approvers, or “approver chosen by the requester”."),
    (lambda people: {"position": 1}, "Two steps have position 1: give each step its own position."),
])
def test_a_step_that_breaks_a_rule_is_refused_and_nothing_is_saved(admin_client, people, change, message):
    before = saved_steps(people.policy)
    post = policy_post(people.policy, steps_of(people, **change(people)))
    response = admin_client.post(change_url(people.policy), post)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert saved_steps(people.policy) == before


def test_more_than_five_steps_are_refused(admin_client, people):
    before = saved_steps(people.policy)
    extra = [step_data(position=n, name=f"Step {n}", rule="any", approvers=[people.lead.pk])
             for n in range(3, 7)]
    response = admin_client.post(change_url(people.policy), policy_post(people.policy, [
        *steps_of(people), *extra,
    ]))
    assert response.status_code == 200
    assert "A policy has at most 5 steps." in response.content.decode()
    assert saved_steps(people.policy) == before


def test_more_than_ten_approvers_in_a_step_are_refused(admin_client, people):
    many = [approver(people.company).pk for _ in range(9)]
    before = saved_steps(people.policy)
    post = policy_post(people.policy, steps_of(
        people, approvers=[people.cfo.pk, people.controller.pk, *many]
    ))
    response = admin_client.post(change_url(people.policy), post)
    assert response.status_code == 200
    assert "“Finance” has more than 10 approvers." in response.content.decode()
    assert saved_steps(people.policy) == before


def test_two_steps_chosen_by_the_requester_are_refused(admin_client, people):
    before = saved_steps(people.policy)
    post = policy_post(people.policy, [
        step_data(people.team_lead, chosen_by_requester=True, approvers=[]),
        step_data(people.finance, chosen_by_requester=True, approvers=[]),
    ])
    response = admin_client.post(change_url(people.policy), post)
    assert response.status_code == 200
    assert (
        "Only one step can have its approver chosen by the requester (the request form asks for "
        "one approver): “Team lead”, “Finance”." in response.content.decode()
    )
    assert saved_steps(people.policy) == before


def test_an_approver_who_lost_the_role_is_named_and_refused(admin_client, people):
    Membership.objects.filter(user=people.cfo).update(is_approver=False)
    before = saved_steps(people.policy)
    response = admin_client.post(change_url(people.policy), policy_post(people.policy, steps_of(people)))
    page = response.content.decode()
    assert response.status_code == 200
    assert "“Finance”: Cora Cfo is not an active approver of this company." in page
    assert "Cora Cfo &lt;cfo@initech.test&gt;" in page  # still listed, so staff can remove her
    assert saved_steps(people.policy) == before


def test_an_approver_of_another_company_cannot_be_chosen(admin_client, people):
    outsider = approver(CompanyFactory(name="Other Test"))
    before = saved_steps(people.policy)
    post = policy_post(people.policy, steps_of(people, approvers=[people.cfo.pk, outsider.pk]))
    response = admin_client.post(change_url(people.policy), post)
    assert response.status_code == 200
    assert f"Select a valid choice. {outsider.pk} is not one of the available choices." in (
        response.content.decode()
    )
    assert saved_steps(people.policy) == before


def test_change_page_warns_about_each_manager_who_could_never_get_an_approval(admin_client, people):
    Membership.objects.filter(user__in=[people.cfo, people.controller]).update(is_approver=False)
    page = admin_client.get(change_url(people.policy)).content.decode()
    assert (
        "Could never get an approval under this policy: Irene Manager &lt;manager@initech.test&gt;: "
        "the step “Finance” has no approver who can decide your request (you cannot approve your own)."
    ) in page
    assert "Team lead" in page


def test_saving_warns_about_a_manager_who_is_the_only_approver_of_a_step(admin_client, people):
    """Leo leads the team and hires too: nobody but himself could pass his request's first step."""
    Membership.objects.filter(user=people.lead).update(is_hiring_manager=True)
    post = policy_post(people.policy, steps_of(people))
    response = admin_client.post(change_url(people.policy), post, follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("admin:approvals_approvalpolicy_changelist")
    assert "Leo Lead &lt;lead@initech.test&gt;: the step “Team lead” has no approver" in page
    assert "Irene Manager &lt;" not in page  # she can get an approval
    assert "was changed successfully" in page


def test_a_policy_without_problems_shows_no_warning(admin_client, people):
    page = admin_client.get(change_url(people.policy)).content.decode()
    assert "Team lead" in page and "Finance" in page
    assert "Could never get an approval" not in page


def test_company_page_links_to_its_policy(admin_client, people):
    page = admin_client.get(
        reverse("admin:accounts_company_change", args=[people.company.pk])
    ).content.decode()
    assert f'href="{change_url(people.policy)}"' in page
    assert "Edit the approval policy</a> (Direct, BYO and payroll offers; 2 steps)" in page


def test_company_without_a_policy_links_to_create_one_then_to_its_steps(admin_client):
    company = CompanyFactory(name="Hooli")
    add_url = reverse("admin:approvals_approvalpolicy_add") + f"?company={company.pk}"
    page = admin_client.get(reverse("admin:accounts_company_change", args=[company.pk])).content.decode()
    assert f'href="{add_url}"' in page.replace("&amp;", "&")
    assert "Create an approval policy</a> (until then: the default" in page
    form = admin_client.get(add_url).content.decode()
    assert f'<option value="{company.pk}" selected>Hooli</option>' in form
    response = admin_client.post(add_url, {"company": company.pk, "applies_to": "direct", "_save": "Save"})
    policy = ApprovalPolicy.objects.get(company=company)
    assert response.status_code == 302 and response["Location"] == change_url(policy)
    assert policy.applies_to == "direct" and not policy.steps.exists()


def test_policy_edit_never_changes_a_request_in_flight(admin_client, people):
    approval_request = ask(people, amount="6000.00")

    def chain():
        return [
            (step.position, step.name, step.rule, step.required_count, step.condition, step.state,
             [(seat.approver_id, seat.decision) for seat in step.approvers.order_by("id")])
            for step in approval_request.steps.order_by("position")
        ]

    before = chain()
    assert [step[1] for step in before] == ["Team lead", "Finance"]
    newcomer = approver(people.company, full_name="Nina New")
    post = policy_post(people.policy, [
        step_data(people.team_lead, name="Manager", approvers=[newcomer.pk]),
        step_data(people.finance, rule="any", approvers=[people.cfo.pk], min_fixed_price="1000.00"),
        step_data(position=3, name="Legal", rule="any", approvers=[newcomer.pk]),
    ], applies_to="direct")
    assert admin_client.post(change_url(people.policy), post).status_code == 302
    assert list(PolicyStep.objects.filter(policy=people.policy).values_list("name", flat=True)) == [
        "Manager", "Finance", "Legal",
    ]
    assert chain() == before
    assert ApprovalRequest.objects.get(pk=approval_request.pk).state == "pending"


def test_program_success_manager_edits_a_policy_but_cannot_delete_requests(client, people):
    client.force_login(program_success_manager())
    approval_request = ask(people)
    assert client.get(change_url(people.policy)).status_code == 200
    post = policy_post(people.policy, steps_of(people, min_fixed_price="8000.00"))
    assert client.post(change_url(people.policy), post).status_code == 302
    people.finance.refresh_from_db()
    assert people.finance.min_fixed_price == Decimal("8000.00")
    delete_url = reverse("admin:approvals_approvalrequest_delete", args=[approval_request.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    assert client.get(
        reverse("admin:approvals_approvalrequest_change", args=[approval_request.pk])
    ).status_code == 200
    assert ApprovalRequest.objects.filter(pk=approval_request.pk).exists()


def test_a_hiring_manager_with_the_approver_role_is_not_their_own_approver(admin_client):
    """A warning, not a refusal: the company may fix the roles later."""
    company = CompanyFactory(name="Solo")
    both = hiring_manager(company, full_name="Sam Solo")
    Membership.objects.filter(user=both).update(is_approver=True)
    policy = ApprovalPolicy.objects.create(company=company)
    step = PolicyStep.objects.create(policy=policy, position=1, name="Boss", rule="any")
    step.approvers.set([both])
    page = admin_client.get(change_url(policy)).content.decode()
    assert "Sam Solo &lt;" in page and "the step “Boss” has no approver" in page
