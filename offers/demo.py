"""Demo offers: a Globex offer that needs no approval, and an Acme offer that uses one of the
approvals seeded by approvals.demo (which runs before this). Idempotent; sends no email."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import Company, User
from approvals.models import ApprovalRequest
from approvals.models import State as ApprovalState
from approvals.services import approval_request_consume, approval_request_lock
from jobs.models import Job

from .models import Offer, OfferRevision

# The Acme request that approvals.demo leaves approved for this offer to use.
ACME_OFFER_TITLE = "Billing platform: payments specialist"


def seed():
    _seed_globex_offer()
    _seed_acme_offer()


def _seed_globex_offer():
    """Globex (no approvals) has sent Grace Hopper an offer for its compiler job."""
    company = Company.objects.get(name="Globex")
    grace = User.objects.get(email="grace@freelancers.test")
    job = Job.objects.get(company=company, title="Compiler optimisation consultant")
    terms = {
        "title": "Compiler optimisation consultant",
        "contract_type": "hourly",
        "amount": Decimal("120.00"),
        "currency": "USD",
        "weekly_hour_limit": 20,
        "start_date": timezone.localdate() + datetime.timedelta(days=14),
        "message": "We loved your work on compilers. Could you start in two weeks?",
    }
    manager = User.objects.get(email="manager@globex.test")
    offer, created = Offer.objects.get_or_create(
        company=company, job=job, freelancer=grace,
        defaults={"created_by": manager, "offer_type": "direct", **terms},
    )
    if created:
        OfferRevision.objects.create(offer=offer, number=1, created_by=manager, **terms)


def _seed_acme_offer():
    """Acme's manager sent Margaret Hamilton an offer with an approved request, which it uses."""
    approval_request = ApprovalRequest.objects.filter(
        company__name="Acme Corp", title=ACME_OFFER_TITLE, state=ApprovalState.APPROVED
    ).first()
    if approval_request is None or Offer.objects.filter(approval_request=approval_request).exists():
        return
    with transaction.atomic():
        approval_request = approval_request_lock(approval_request_id=approval_request.pk)
        manager = approval_request.requester
        terms = {
            "title": approval_request.title, "contract_type": approval_request.contract_type,
            "amount": approval_request.amount, "currency": approval_request.currency,
            "weekly_hour_limit": approval_request.weekly_hour_limit,
            "start_date": approval_request.start_date, "message": "Looking forward to working with you.",
        }
        offer = Offer.objects.create(
            company=approval_request.company, created_by=manager, offer_type=approval_request.offer_type,
            job=approval_request.job, freelancer=approval_request.freelancer,
            approval_request=approval_request, **terms,
        )
        OfferRevision.objects.create(offer=offer, number=1, created_by=manager, **terms)
        approval_request_consume(approval_request=approval_request, actor=manager)
