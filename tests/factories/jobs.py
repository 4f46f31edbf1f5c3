from decimal import Decimal

import factory

from jobs.models import Invite, Job

from .accounts import CompanyFactory, UserFactory

__all__ = ["JobFactory", "InviteFactory"]


class JobFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Job

    company = factory.SubFactory(CompanyFactory)
    posted_by = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Job post {n}")
    description = "Build and maintain our Django services."
    skills = "Python, Django"
    contract_type = "hourly"
    budget_amount = Decimal("75.00")


class InviteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invite

    job = factory.SubFactory(JobFactory)
    freelancer = factory.SubFactory(UserFactory)
    invited_by = factory.SelfAttribute("job.posted_by")
    message = "We would love to have you on this job."
