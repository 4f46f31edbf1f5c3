"""Demo approval requests for Acme: manager@acme.test asks approver@acme.test, one or more
in every state, so each dashboard tab has rows. Idempotent: keyed by title per company.

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

from .models import ApprovalRequest, ApprovalTransition
from .services import _apply, approval_request_lock

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
]


def seed():
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
    approval_request = approval_request_lock(approval_request_id=approval_request.pk)
    if outcome in ("approved", "consumed", "expired-after-approval"):
        # An approval that ran out unused gets a validity already over.
        valid_until = now + datetime.timedelta(days=-1 if past else company.approval_validity_days)
        approval_request.decision_comment = "Budget confirmed."
        _apply(approval_request, "approve", actor=approver, comment="Budget confirmed.",
               valid_until=valid_until)
    elif outcome == "declined":
        approval_request.decision_comment = "Over budget for this quarter; try a smaller scope."
        _apply(approval_request, "decline", actor=approver,
               comment=approval_request.decision_comment)
    if past:
        _apply(approval_request, "expire", actor=None, comment="Demo: window passed.")
    return approval_request
