import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from jobs.services import invite_mark_hired
from offers.models import Offer
from referrals.models import BetaOverride, ReferralSettings

from .accounts import CompanyFactory, MembershipFactory, UserFactory, freelancer
from .jobs import InviteFactory, JobFactory

__all__ = [
    "BetaOverrideFactory",
    "beta_freelancer",
    "non_beta_freelancer",
    "client_job",
    "direct_invite",
    "set_referral_settings",
    "offer_for_job",
]


class BetaOverrideFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BetaOverride

    user = factory.SubFactory(UserFactory)
    mode = BetaOverride.Mode.ALWAYS


def beta_freelancer(**profile_kwargs):
    """A freelancer always in the referral beta (by override)."""
    user = freelancer(**profile_kwargs)
    BetaOverrideFactory(user=user, mode=BetaOverride.Mode.ALWAYS)
    return user


def non_beta_freelancer(**profile_kwargs):
    """A freelancer never in the referral beta (by override)."""
    user = freelancer(**profile_kwargs)
    BetaOverrideFactory(user=user, mode=BetaOverride.Mode.NEVER)
    return user


def client_job(company=None, **job_kwargs):
    """A job posted by a hiring manager of the company (a new company by default)."""
    company = company or CompanyFactory()
    manager = UserFactory()
    MembershipFactory(user=manager, company=company, is_hiring_manager=True)
    return JobFactory(company=company, posted_by=manager, **job_kwargs)


def direct_invite(freelancer_user=None, job=None, **kwargs):
    """A pending direct invite from the job's hiring manager."""
    job = job or client_job()
    freelancer_user = freelancer_user or freelancer()
    return InviteFactory(job=job, freelancer=freelancer_user, invited_by=job.posted_by, **kwargs)


def set_referral_settings(**fields):
    settings = ReferralSettings.load()
    for name, value in fields.items():
        setattr(settings, name, value)
    settings.save()
    return settings


def offer_for_job(job, freelancer_user, state=Offer.State.SENT):
    """An offer from the job's company to the freelancer (built directly, for referral outcomes);
    an accepted one is recorded on the invite as a hire, as offers.services.offer_accept does."""
    if state == Offer.State.ACCEPTED:
        invite_mark_hired(job_id=job.pk, freelancer_id=freelancer_user.pk)
    return Offer.objects.create(
        company=job.company,
        created_by=job.posted_by,
        job=job,
        freelancer=freelancer_user,
        title=job.title,
        amount=Decimal("80.00"),
        currency="USD",
        start_date=timezone.localdate() + datetime.timedelta(days=7),
        state=state,
    )
