"""Initech as the demo seeds it, for the admin tests: a hiring manager, a team lead and two
finance approvers, and the two-step policy ("Team lead", any one; then "Finance", all of them,
from 5,000 USD fixed or 100 USD an hour)."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

from django.utils import timezone

from approvals import services
from approvals.demo import PSM_PERMISSIONS
from approvals.models import ApprovalPolicy, PolicyStep, StepRule
from tests.factories import CompanyFactory, UserFactory, approver, freelancer, hiring_manager


def initech(**company_kwargs) -> SimpleNamespace:
    company = CompanyFactory(name="Initech", **company_kwargs)
    people = SimpleNamespace(
        company=company,
        manager=hiring_manager(company, full_name="Irene Manager", email="manager@initech.test"),
        lead=approver(company, full_name="Leo Lead", email="lead@initech.test"),
        cfo=approver(company, full_name="Cora Cfo", email="cfo@initech.test"),
        controller=approver(company, full_name="Carl Controller", email="controller@initech.test"),
        talent=freelancer(user__full_name="Ada Lovelace", user__email="ada@initech-talent.test"),
    )
    people.policy = ApprovalPolicy.objects.create(company=company)
    people.team_lead = PolicyStep.objects.create(
        policy=people.policy, position=1, name="Team lead", rule=StepRule.ANY
    )
    people.team_lead.approvers.set([people.lead])
    people.finance = PolicyStep.objects.create(
        policy=people.policy, position=2, name="Finance", rule=StepRule.ALL,
        condition_currency="USD", min_fixed_price=Decimal("5000.00"), min_hourly_rate=Decimal("100.00"),
    )
    people.finance.approvers.set([people.cfo, people.controller])
    return people


def ask(people, *, amount="6000.00", contract_type="fixed", title="Security audit"):
    """The Initech manager's request, made through the service (the chain is planned then)."""
    return services.approval_request_create(
        requester=people.manager, title=title, amount=Decimal(amount), contract_type=contract_type,
        weekly_hour_limit=20 if contract_type == "hourly" else None,
        start_date=timezone.localdate() + datetime.timedelta(days=7), freelancer=people.talent,
    )


def program_success_manager():
    """Staff, not a superuser, with the permissions the demo gives psm@greenlight.test."""
    from django.contrib.auth.models import Permission

    psm = UserFactory(full_name="Priya Success", email="psm@example.test", is_staff=True)
    for app_label, model, actions in PSM_PERMISSIONS:
        psm.user_permissions.add(*Permission.objects.filter(
            content_type__app_label=app_label,
            codename__in=[f"{action}_{model}" for action in actions],
        ))
    return psm


def step_data(step: PolicyStep | None = None, **overrides) -> dict:
    """One step as the admin form posts it; ``step`` gives the saved values."""
    data = {
        "id": "", "position": "", "name": "", "chosen_by_requester": False, "approvers": [],
        "rule": "all", "required_count": "", "condition_currency": "", "min_fixed_price": "",
        "min_hourly_rate": "", "DELETE": False,
    }
    if step is not None:
        data.update(
            id=step.pk, position=step.position, name=step.name,
            chosen_by_requester=step.chosen_by_requester,
            approvers=[user.pk for user in step.approvers.all()], rule=step.rule,
            required_count=step.required_count or "", condition_currency=step.condition_currency,
            min_fixed_price=step.min_fixed_price if step.min_fixed_price is not None else "",
            min_hourly_rate=step.min_hourly_rate if step.min_hourly_rate is not None else "",
        )
    data.update(overrides)
    return data


def policy_post(policy: ApprovalPolicy, steps: list[dict], *, applies_to=None, save="_save") -> dict:
    """The policy change form's POST: the policy's fields and the steps inline."""
    initial = sum(1 for step in steps if step["id"])
    post = {
        "applies_to": applies_to or policy.applies_to,
        "steps-TOTAL_FORMS": str(len(steps)), "steps-INITIAL_FORMS": str(initial),
        "steps-MIN_NUM_FORMS": "0", "steps-MAX_NUM_FORMS": "5",
        save: "Save",
    }
    for index, step in enumerate(steps):
        for key, value in step.items():
            if value is False:
                continue
            post[f"steps-{index}-{key}"] = "on" if value is True else value
        post[f"steps-{index}-policy"] = policy.pk
    return post


def saved_steps(policy: ApprovalPolicy) -> list[tuple]:
    """The policy's steps as stored, to show a refused save changed nothing."""
    return [
        (step.position, step.name, step.rule, step.required_count, step.condition_currency,
         step.min_fixed_price, step.min_hourly_rate, sorted(u.pk for u in step.approvers.all()))
        for step in policy.steps.order_by("position", "id")
    ]
