from decimal import Decimal

import factory

from accounts.models import Company, FreelancerProfile, Membership, User

__all__ = [
    "UserFactory", "CompanyFactory", "MembershipFactory", "FreelancerProfileFactory",
    "hiring_manager", "approver", "freelancer",
]

PASSWORD = "test-password-123"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.test")
    full_name = factory.Sequence(lambda n: f"Test User {n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save(update_fields=["password"])


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company

    name = factory.Sequence(lambda n: f"Company {n}")
    is_enterprise = True
    approvals_enabled = True


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    company = factory.SubFactory(CompanyFactory)
    is_hiring_manager = False
    is_approver = False


class FreelancerProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FreelancerProfile

    user = factory.SubFactory(UserFactory)
    title = "Python developer"
    skills = "Python, Django"
    hourly_rate = Decimal("80.00")
    connects_balance = 20


def hiring_manager(company=None, **user_kwargs):
    """A user who is a hiring manager of the company (a new enterprise company by default)."""
    company = company or CompanyFactory()
    user = UserFactory(**user_kwargs)
    MembershipFactory(user=user, company=company, is_hiring_manager=True)
    return user


def approver(company=None, **user_kwargs):
    company = company or CompanyFactory()
    user = UserFactory(**user_kwargs)
    MembershipFactory(user=user, company=company, is_approver=True)
    return user


def freelancer(**profile_kwargs):
    return FreelancerProfileFactory(**profile_kwargs).user
