import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from offers.models import Offer, OfferRevision

from .accounts import CompanyFactory, UserFactory

__all__ = ["OfferFactory", "offer_terms", "sent_offer"]


class OfferFactory(factory.django.DjangoModelFactory):
    """A sent offer with its revision 1, written directly (no approval, no email): for lists.
    Tests of the rules send offers through offers.services (see ``sent_offer``)."""

    class Meta:
        model = Offer
        skip_postgeneration_save = True

    company = factory.SubFactory(CompanyFactory, approvals_enabled=False)
    created_by = factory.SubFactory(UserFactory)
    freelancer = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Offer {n}")
    offer_type = "direct"
    contract_type = "hourly"
    amount = Decimal("85.00")
    currency = "USD"
    weekly_hour_limit = 30
    start_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=7))

    @factory.post_generation
    def first_revision(obj, create, extracted, **kwargs):
        if create:
            OfferRevision.objects.create(
                offer=obj, number=1, created_by=obj.created_by, title=obj.title,
                contract_type=obj.contract_type, amount=obj.amount, currency=obj.currency,
                weekly_hour_limit=obj.weekly_hour_limit, start_date=obj.start_date, message=obj.message,
            )


def offer_terms(approval_request=None, **overrides) -> dict:
    """Keyword arguments for offers.services.offer_send: the approval's own terms by default."""
    terms = {
        "approval_request_id": None,
        "offer_type": "direct",
        "job": None,
        "freelancer": None,
        "freelancer_name": "",
        "freelancer_email": "",
        "title": "Django developer",
        "contract_type": "hourly",
        "amount": Decimal("85.00"),
        "currency": "USD",
        "weekly_hour_limit": 30,
        "start_date": timezone.localdate() + datetime.timedelta(days=7),
        "message": "Welcome aboard.",
    }
    if approval_request is not None:
        terms["approval_request_id"] = approval_request.pk
        terms.update({name: getattr(approval_request, name) for name in (
            "offer_type", "job", "freelancer", "freelancer_name", "freelancer_email", "title",
            "contract_type", "amount", "currency", "weekly_hour_limit", "start_date",
        )})
    terms.update(overrides)
    return terms


def sent_offer(*, sent_by, approval_request=None, **overrides) -> Offer:
    """An offer sent through the real service (consumes the approval when one is given)."""
    from offers.services import offer_send

    return offer_send(sent_by=sent_by, **offer_terms(approval_request, **overrides))
