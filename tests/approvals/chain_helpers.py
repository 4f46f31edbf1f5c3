"""An Initech-like company for the chain tests: a team lead step (any one), then a Finance step
(all of two) from 5,000 USD fixed or 100 USD an hour."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

from django.utils import timezone

from approvals import services
from approvals.models import ApprovalPolicy, DashboardCount, DashboardEntry, PolicyStep, StepRule
from tests.factories import CompanyFactory, approver, freelancer, hiring_manager


def initech():
    company = CompanyFactory(name="Initech Test")
    people = SimpleNamespace(
        company=company,
        manager=hiring_manager(company, full_name="Irene Manager", email="irene@initech.test"),
        lead=approver(company, full_name="Leo Lead", email="lead@initech.test"),
        cfo=approver(company, full_name="Cora Cfo", email="cfo@initech.test"),
        controller=approver(company, full_name="Carl Controller", email="controller@initech.test"),
        freelancer=freelancer(user__full_name="Ada Lovelace", user__email="ada@chain.test"),
    )
    people.policy = ApprovalPolicy.objects.create(company=company)
    people.lead_step = PolicyStep.objects.create(
        policy=people.policy, position=1, name="Team lead", rule=StepRule.ANY
    )
    people.lead_step.approvers.set([people.lead])
    people.finance_step = PolicyStep.objects.create(
        policy=people.policy, position=2, name="Finance", rule=StepRule.ALL,
        condition_currency="USD", min_fixed_price=Decimal("5000"), min_hourly_rate=Decimal("100"),
    )
    people.finance_step.approvers.set([people.cfo, people.controller])
    return people


def ask(people, *, amount="6000", contract_type="fixed", currency="USD", requester=None, **kwargs):
    """The manager's request under the company's policy, through the service."""
    return services.approval_request_create(
        requester=requester or people.manager, title=kwargs.pop("title", "Billing rewrite"),
        amount=Decimal(amount), contract_type=contract_type, currency=currency,
        start_date=timezone.localdate() + datetime.timedelta(days=7),
        freelancer=people.freelancer, **kwargs,
    )


def chain(approval_request):
    """The chain as (step name, state, [(approver email, decision)]), in order."""
    return [
        (step.name, step.state, [
            (seat.approver.email, seat.decision) for seat in step.approvers.order_by("id")
        ])
        for step in approval_request.steps.order_by("position")
    ]


def kept_counts() -> dict[tuple, int]:
    """DashboardCount's rows added up per (user, company, state, awaiting), keys adding up to
    nothing left out."""
    sums: dict[tuple, int] = {}
    for *key, n in DashboardCount.objects.values_list("user_id", "company_id", "state", "awaiting", "n"):
        sums[tuple(key)] = sums.get(tuple(key), 0) + n
    return {key: n for key, n in sums.items() if n}


def counted_entries() -> dict[tuple, int]:
    """The dashboard entries counted per (user, company, state, awaiting)."""
    counted: dict[tuple, int] = {}
    for key in DashboardEntry.objects.values_list("user_id", "company_id", "state", "awaiting"):
        counted[key] = counted.get(key, 0) + 1
    return counted

