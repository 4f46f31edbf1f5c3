import pytest
from django.db import IntegrityError

from accounts.models import Company, User
from tests.factories import CompanyFactory, FreelancerProfileFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_email_is_the_login_and_is_stored_lowercase():
    user = User.objects.create_user("Ada@Example.TEST", "pw-123-secret", full_name="Ada")
    assert user.email == "ada@example.test"
    assert user.check_password("pw-123-secret")
    assert User.USERNAME_FIELD == "email"


def test_superuser_is_staff():
    admin = User.objects.create_superuser("boss@example.test", "pw", full_name="Boss")
    assert admin.is_staff and admin.is_superuser


def test_company_defaults_to_14_day_decisions_and_30_day_validity():
    company = Company.objects.create(name="Initech")
    assert (company.decision_window_days, company.approval_validity_days) == (14, 30)
    assert company.approvals_enabled is False


def test_only_enterprise_companies_can_enable_approvals():
    with pytest.raises(IntegrityError):
        Company.objects.create(name="Small", is_enterprise=False, approvals_enabled=True)


def test_a_user_belongs_to_at_most_one_company():
    membership = MembershipFactory()
    with pytest.raises(IntegrityError):
        MembershipFactory(user=membership.user, company=CompanyFactory())


def test_connects_balance_cannot_go_negative_in_the_database():
    profile = FreelancerProfileFactory(connects_balance=3)
    with pytest.raises(IntegrityError):
        type(profile).objects.filter(pk=profile.pk).update(connects_balance=-1)


def test_roles_and_kind_of_user():
    member = MembershipFactory(is_hiring_manager=True, is_approver=True)
    assert member.role_names == ["Hiring manager", "Approver"]
    assert member.user.is_client and not member.user.is_freelancer
    talent = FreelancerProfileFactory(skills="Python, , Django ").user
    assert talent.is_freelancer and not talent.is_client
    assert talent.freelancer_profile.skill_list == ["Python", "Django"]
    assert UserFactory().is_client is False
