import pytest

from accounts.models import Company, Membership
from tests.factories import CompanyFactory, UserFactory, approver, hiring_manager

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)
    return client


def test_every_admin_list_renders(staff_client):
    for url in [
        "/admin/accounts/user/", "/admin/accounts/company/", "/admin/accounts/membership/",
        "/admin/accounts/freelancerprofile/", "/admin/accounts/notification/",
        "/admin/jobs/job/", "/admin/jobs/invite/", "/admin/jobs/proposal/",
    ]:
        assert staff_client.get(url).status_code == 200, url


def test_staff_enable_approvals_and_designate_roles_from_the_company_page(staff_client):
    company = CompanyFactory(name="Initech", is_enterprise=True, approvals_enabled=False)
    manager, checker = UserFactory(), UserFactory()
    response = staff_client.post(
        f"/admin/accounts/company/{company.pk}/change/",
        {
            "name": "Initech", "is_enterprise": "on", "approvals_enabled": "on",
            "decision_window_days": "10", "approval_validity_days": "20",
            "memberships-TOTAL_FORMS": "2", "memberships-INITIAL_FORMS": "0",
            "memberships-MIN_NUM_FORMS": "0", "memberships-MAX_NUM_FORMS": "1000",
            "memberships-0-user": manager.pk, "memberships-0-is_hiring_manager": "on",
            "memberships-1-user": checker.pk, "memberships-1-is_approver": "on",
        },
    )
    assert response.status_code == 302
    company.refresh_from_db()
    assert company.approvals_enabled and company.decision_window_days == 10
    assert Membership.objects.get(user=manager).is_hiring_manager
    assert Membership.objects.get(user=checker, company=company).is_approver


def test_admin_refuses_approvals_for_a_non_enterprise_company(staff_client):
    company = CompanyFactory(name="Tiny", is_enterprise=False, approvals_enabled=False)
    response = staff_client.post(
        f"/admin/accounts/company/{company.pk}/change/",
        {
            "name": "Tiny", "approvals_enabled": "on",
            "decision_window_days": "14", "approval_validity_days": "30",
            "memberships-TOTAL_FORMS": "0", "memberships-INITIAL_FORMS": "0",
            "memberships-MIN_NUM_FORMS": "0", "memberships-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 200
    assert "Only enterprise accounts can enable approvals." in response.content.decode()
    assert Company.objects.get(pk=company.pk).approvals_enabled is False


def test_enable_approvals_action_skips_non_enterprise(staff_client):
    big = CompanyFactory(is_enterprise=True, approvals_enabled=False)
    small = CompanyFactory(is_enterprise=False, approvals_enabled=False)
    # A hiring manager who could get an approval: without one, enabling is refused.
    hiring_manager(big)
    approver(big)
    staff_client.post(
        "/admin/accounts/company/",
        {"action": "enable_approvals", "_selected_action": [big.pk, small.pk]},
    )
    big.refresh_from_db()
    small.refresh_from_db()
    assert big.approvals_enabled and not small.approvals_enabled
