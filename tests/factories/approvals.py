import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from approvals.models import ApprovalRequest

from .accounts import CompanyFactory, UserFactory

__all__ = ["ApprovalRequestFactory", "approved_request"]


class ApprovalRequestFactory(factory.django.DjangoModelFactory):
    """A pending request. Build other states through the services, not by setting state."""

    class Meta:
        model = ApprovalRequest

    company = factory.SubFactory(CompanyFactory)
    requester = factory.SubFactory(UserFactory)
    approver = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Senior Django developer {n}")
    freelancer = factory.SubFactory(UserFactory)
    offer_type = "direct"
    contract_type = "hourly"
    amount = Decimal("85.00")
    currency = "USD"
    weekly_hour_limit = 30
    start_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=7))
    justification = "Backfill for the billing team."
    expires_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=14))


def approved_request(**kwargs) -> ApprovalRequest:
    """A request already approved by its approver (for tests that need a usable approval).

    Runs the model's own transition; services tests should go through the services.
    """
    approval_request = ApprovalRequestFactory(**kwargs)
    validity = approval_request.company.approval_validity_days
    approval_request.approve(valid_until=timezone.now() + datetime.timedelta(days=validity))
    approval_request.save()
    return approval_request
