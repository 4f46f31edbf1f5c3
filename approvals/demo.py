"""Demo approval requests for Acme: manager@acme.test asks approver@acme.test, one or more
in every state, so each dashboard tab has rows. Idempotent: keyed by title per company.

Initech gets a two-step policy: "Team lead" (lead@, any one), then "Finance" (cfo@ and
controller@, all of them) when the amount is at least 5,000 USD fixed or 100 USD an hour.
Acme keeps the default policy (one approver chosen by the requester). A Program Success
Manager (psm@greenlight.test, staff, not a superuser) may edit companies and their policies
in the admin.

Rows are built through the lifecycle rules (``_apply``: transition, save, audit log) without
sending email; expired ones are created with a decision window already over and expired by
the same transition the sweep records. The "consumed" one is left approved: offers.demo
sends the offer that uses it.
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import Company, User
from jobs.models import Job

from .models import (
    ApprovalPolicy,
    ApprovalRequest,
    ApprovalTransition,
    Decision,
    PolicyStep,
    StepApprover,
    StepRule,
    StepState,
)
from .services import _apply, approval_request_lock, approval_request_record_chain

PSM_EMAIL = "psm@greenlight.test"
# What the Program Success Manager may do in the admin: companies and their approval policies.
PSM_PERMISSIONS = [
    ("accounts", "company", ["view", "change"]),
    ("accounts", "membership", ["view", "add", "change"]),
    ("accounts", "user", ["view"]),
    ("approvals", "approvalpolicy", ["view", "add", "change"]),
    ("approvals", "policystep", ["view", "add", "change", "delete"]),
    ("approvals", "approvalrequest", ["view"]),
    ("approvals", "stepapprover", ["change"]),
]

# title, freelancer email, job title (or None), contract, amount, hours, what happens
REQUESTS = [
    ("Billing platform: senior Django developer", "grace@freelancers.test",
     "Django developer for billing platform", "hourly", "115.00", 30, "pending"),
    ("Pipeline rewrite: data engineer", "ada@freelancers.test",
     "Data pipeline engineer", "hourly", "90.00", 20, "pending"),
    ("Kernel tuning for build servers", "linus@freelancers.test", None, "fixed", "4500.00", None,
     "approved"),
    ("Flight-grade reliability review", "margaret@freelancers.test", None, "fixed", "12000.00",
     None, "declined"),
    ("Mobile app security audit", "ada@freelancers.test", "Mobile app security audit", "fixed",
     "6000.00", None, "expired"),
    ("Compiler help for the rules engine", "grace@freelancers.test", None, "hourly", "120.00", 15,
     "expired-after-approval"),
    ("Billing platform: payments specialist", "margaret@freelancers.test",
     "Django developer for billing platform", "hourly", "125.00", 25, "consumed"),
    ("Search tuning: Elasticsearch consultant", "linus@freelancers.test", None, "hourly", "95.00",
     10, "cancelled"),
]


def seed():
    _seed_initech_policy()
    _seed_psm()
    return _seed_acme_requests()


def _seed_initech_policy():
    company = Company.objects.filter(name="Initech").first()
    if company is None or ApprovalPolicy.objects.filter(company=company).exists():
        return
    people = {u.email: u for u in User.objects.filter(email__endswith="@initech.test")}
    policy = ApprovalPolicy.objects.create(company=company)
    lead = PolicyStep.objects.create(policy=policy, position=1, name="Team lead", rule=StepRule.ANY)
    lead.approvers.set([people["lead@initech.test"]])
    finance = PolicyStep.objects.create(
        policy=policy, position=2, name="Finance", rule=StepRule.ALL, condition_currency="USD",
        min_fixed_price=Decimal("5000.00"), min_hourly_rate=Decimal("100.00"),
    )
    finance.approvers.set([people["cfo@initech.test"], people["controller@initech.test"]])


def _seed_psm():
    from django.contrib.auth.models import Permission

    from accounts.demo import DEMO_PASSWORD

    psm, created = User.objects.get_or_create(
        email=PSM_EMAIL, defaults={"full_name": "Priya Success", "is_staff": True}
    )
    if not created:
        return
    psm.set_password(DEMO_PASSWORD)
    psm.save(update_fields=["password"])
    for app_label, model, actions in PSM_PERMISSIONS:
        psm.user_permissions.add(*Permission.objects.filter(
            content_type__app_label=app_label,
            codename__in=[f"{action}_{model}" for action in actions],
        ))


def _seed_acme_requests():
    company = Company.objects.filter(name="Acme Corp").first()
    manager = User.objects.filter(email="manager@acme.test").first()
    approver = User.objects.filter(email="approver@acme.test").first()
    if not (company and manager and approver):
        return []
    created = []
    for title, freelancer_email, job_title, contract, amount, hours, outcome in REQUESTS:
        if ApprovalRequest.objects.filter(company=company, title=title).exists():
            continue
        with transaction.atomic():
            created.append(_seed_one(
                company, manager, approver, title, freelancer_email, job_title, contract,
                Decimal(amount), hours, outcome,
            ))
    return created


def _seed_one(company, manager, approver, title, freelancer_email, job_title, contract, amount,
              hours, outcome):
    now = timezone.now()
    past = outcome.startswith("expired")
    approval_request = ApprovalRequest.objects.create(
        company=company, requester=manager, approver=approver, title=title,
        job=Job.objects.filter(company=company, title=job_title).first() if job_title else None,
        freelancer=User.objects.get(email=freelancer_email),
        contract_type=contract, amount=amount, weekly_hour_limit=hours,
        start_date=timezone.localdate() + datetime.timedelta(days=14),
        justification="Demo: the team needs this skill for the next quarter.",
        # An expired request is created with its decision window already over.
        expires_at=now + datetime.timedelta(
            days=-1 if outcome == "expired" else company.decision_window_days
        ),
    )
    ApprovalTransition.objects.create(
        request=approval_request, actor=manager, name="create", target_state="pending"
    )
    step = approval_request_record_chain(approval_request, chosen_approver=approver)
    approval_request = approval_request_lock(approval_request_id=approval_request.pk)
    if outcome in ("approved", "consumed", "expired-after-approval", "declined"):
        approved = outcome != "declined"
        StepApprover.objects.filter(step=step).update(
            decision=Decision.APPROVED if approved else Decision.DECLINED, decided_at=now,
            comment="Budget confirmed." if approved else "Over budget for this quarter; try a smaller scope.",
        )
        step.state, step.completed_at = (StepState.PASSED if approved else StepState.DECLINED), now
        step.save(update_fields=["state", "completed_at"])
        approval_request.decided_by_names = str(approver)
    if outcome in ("approved", "consumed", "expired-after-approval"):
        # An approval that ran out unused gets a validity already over.
        valid_until = now + datetime.timedelta(days=-1 if past else company.approval_validity_days)
        approval_request.decision_comment = "Budget confirmed."
        _apply(approval_request, "approve", actor=approver, comment="Budget confirmed.",
               step_name=step.name, valid_until=valid_until)
    elif outcome == "declined":
        approval_request.decision_comment = "Over budget for this quarter; try a smaller scope."
        _apply(approval_request, "decline", actor=approver,
               comment=approval_request.decision_comment, step_name=step.name)
    if outcome == "cancelled":
        reason = "Demo: the search team found the fix in-house."
        StepApprover.objects.filter(step=step).update(decision=Decision.NOT_NEEDED)
        _apply(approval_request, "cancel", actor=manager, comment=reason, reason=reason)
    if past:
        _apply(approval_request, "expire", actor=None, comment="Demo: window passed.")
    return approval_request
