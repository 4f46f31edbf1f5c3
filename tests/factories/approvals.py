import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from approvals.models import ApprovalRequest

from .accounts import CompanyFactory, UserFactory

__all__ = ["ApprovalRequestFactory", "approved_request", "one_step_chain"]


class ApprovalRequestFactory(factory.django.DjangoModelFactory):
    """A pending request. Build other states through the services, not by setting state."""

    class Meta:
        model = ApprovalRequest
        # The chain hook writes its own rows; the request itself needs no second save.
        skip_postgeneration_save = True

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

    @factory.post_generation
    def chain(obj, create, extracted, **kwargs):
        """The default policy's chain: one step, "Approver", the chosen approver deciding.
        ``chain=False`` leaves the request without one (to build a chain by hand)."""
        if create and extracted is not False and obj.approver_id:
            one_step_chain(obj)


def one_step_chain(approval_request):
    """Record the one-step chain of the default policy on a request made by the factory."""
    from approvals.models import RequestStep, StepApprover

    step = RequestStep.objects.create(
        request=approval_request, position=1, name="Approver", rule="any", required_count=1,
        chosen_by_requester=True, state="active", activated_at=approval_request.created_at,
    )
    StepApprover.objects.create(step=step, request=approval_request, approver_id=approval_request.approver_id)
    return step


def approved_request(**kwargs) -> ApprovalRequest:
    """A request already approved by its approver (for tests that need a usable approval).

    Runs the model's own transition; services tests should go through the services.
    """
    from approvals.models import RequestStep, StepApprover

    approval_request = ApprovalRequestFactory(**kwargs)
    validity = approval_request.company.approval_validity_days
    approval_request.approve(valid_until=timezone.now() + datetime.timedelta(days=validity))
    approval_request.decided_by_names = str(approval_request.approver)
    approval_request.save()
    StepApprover.objects.filter(request=approval_request).update(
        decision="approved", decided_at=approval_request.decided_at
    )
    RequestStep.objects.filter(request=approval_request).update(
        state="passed", completed_at=approval_request.decided_at
    )
    return approval_request


def pending_request(*, company=None, requester=None, approver=None, **kwargs) -> ApprovalRequest:
    """A pending request between a hiring manager and an approver of the same company, with
    its "create" log row, as approval_request_create leaves it (without the email)."""
    from approvals.models import ApprovalTransition

    from .accounts import approver as make_approver
    from .accounts import freelancer as make_freelancer
    from .accounts import hiring_manager

    company = company or (requester.membership.company if requester else CompanyFactory())
    requester = requester or hiring_manager(company)
    approver = approver or make_approver(company)
    kwargs.setdefault("freelancer", make_freelancer())
    approval_request = ApprovalRequestFactory(
        company=company, requester=requester, approver=approver, **kwargs
    )
    ApprovalTransition.objects.create(
        request=approval_request, actor=requester, name="create", target_state="pending"
    )
    return approval_request


__all__ += ["pending_request"]


def move_past_expiry(approval_request, **delta) -> ApprovalRequest:
    """Move a request's expires_at into the past, as if time had passed (default: 1 minute)."""
    delta = delta or {"minutes": 1}
    ApprovalRequest.objects.filter(pk=approval_request.pk).update(
        expires_at=timezone.now() - datetime.timedelta(**delta)
    )
    approval_request.refresh_from_db()
    return approval_request


__all__ += ["move_past_expiry"]
