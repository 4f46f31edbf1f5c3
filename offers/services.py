"""Writes for job posts and offers."""

from decimal import Decimal

from django.db import transaction

from .models import Job


@transaction.atomic
def job_create(
    *,
    posted_by,
    title: str,
    description: str,
    skills: str = "",
    contract_type: str,
    budget_amount: Decimal | None,
    budget_currency: str,
    connects_price: int = 6,
    direct_invite_limit: int = 30,
) -> Job:
    """Post a job for the poster's company. Job posts never need approval."""
    return Job.objects.create(
        company_id=posted_by.membership.company_id,
        posted_by=posted_by,
        title=title,
        description=description,
        skills=skills,
        contract_type=contract_type,
        budget_amount=budget_amount,
        budget_currency=budget_currency,
        connects_price=connects_price,
        direct_invite_limit=direct_invite_limit,
    )
