"""Staff cannot switch approvals on for a company in which no hiring manager could get an
approval, from the company page or with the "Enable approvals" action."""

import pytest
from django.urls import reverse

from accounts.models import Company, Membership
from tests.approvals.initech import initech
from tests.factories import CompanyFactory, UserFactory, approver, hiring_manager

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, db):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def company_post(company, memberships=(), **fields):
    """The company change form: its fields and the roles inline (existing memberships first)."""
    post = {
        "name": company.name, "is_enterprise": "on", "approvals_enabled": "on",
        "decision_window_days": "14", "approval_validity_days": "30",
        "memberships-TOTAL_FORMS": str(len(memberships)),
        "memberships-INITIAL_FORMS": str(sum(1 for m in memberships if m.get("id"))),
        "memberships-MIN_NUM_FORMS": "0", "memberships-MAX_NUM_FORMS": "1000",
    }
    for index, membership in enumerate(memberships):
        for key, value in membership.items():
            if value is not False:
                post[f"memberships-{index}-{key}"] = "on" if value is True else value
        post[f"memberships-{index}-company"] = company.pk
    post.update(fields)
    return post


def saved_roles(company):
    return [
        {"id": m.pk, "user": m.user_id, "is_hiring_manager": m.is_hiring_manager,
         "is_approver": m.is_approver}
        for m in Membership.objects.filter(company=company).order_by("user__full_name")
    ]


def change(client, company, memberships=None, **fields):
    memberships = saved_roles(company) if memberships is None else memberships
    return client.post(
        reverse("admin:accounts_company_change", args=[company.pk]),
        company_post(company, memberships, **fields),
    )


def test_enabling_is_refused_when_the_finance_step_has_no_approver(admin_client):
    people = initech(approvals_enabled=False)
    Membership.objects.filter(user__in=[people.cfo, people.controller]).update(is_approver=False)
    response = change(admin_client, people.company)
    page = response.content.decode()
    assert response.status_code == 200
    assert (
        "Approvals cannot be enabled for Initech: no hiring manager could get an approval — "
        "Irene Manager &lt;manager@initech.test&gt;: the step “Finance” has no approver"
    ) in page
    assert Company.objects.get(pk=people.company.pk).approvals_enabled is False


def test_enabling_is_refused_for_a_company_without_hiring_managers(admin_client):
    company = CompanyFactory(name="Empty Co", approvals_enabled=False)
    approver(company)
    response = change(admin_client, company)
    assert response.status_code == 200
    assert (
        "Approvals cannot be enabled for Empty Co: it has no hiring manager. Give someone the "
        "hiring manager role first." in response.content.decode()
    )
    assert Company.objects.get(pk=company.pk).approvals_enabled is False


def test_enabling_is_refused_when_the_default_step_has_no_one_to_choose(admin_client):
    company = CompanyFactory(name="Lonely Co", approvals_enabled=False)
    hiring_manager(company, full_name="Lou Lonely")
    response = change(admin_client, company)
    assert response.status_code == 200
    assert "Lou Lonely &lt;" in response.content.decode()
    assert "no approver other than them for “Approver”" in response.content.decode()
    assert Company.objects.get(pk=company.pk).approvals_enabled is False


def test_roles_posted_with_the_switch_are_what_is_checked(admin_client):
    """Taking the only approver's role in the same save is refused, and the role stays."""
    company = CompanyFactory(name="Swap Co", approvals_enabled=False)
    hiring_manager(company, full_name="Hana Hire")
    only = approver(company, full_name="Abe Approver")
    roles = saved_roles(company)
    without_approver = [{**role, "is_approver": False} if role["user"] == only.pk else role for role in roles]
    response = change(admin_client, company, without_approver)
    assert response.status_code == 200
    assert "Approvals cannot be enabled for Swap Co: no hiring manager could get an approval" in (
        response.content.decode()
    )
    assert Membership.objects.get(user=only).is_approver
    assert Company.objects.get(pk=company.pk).approvals_enabled is False


def test_enabling_succeeds_when_one_manager_can_and_warns_about_the_other(admin_client):
    people = initech(approvals_enabled=False)
    Membership.objects.filter(user=people.lead).update(is_hiring_manager=True)
    response = change(admin_client, people.company)
    assert response.status_code == 302
    assert Company.objects.get(pk=people.company.pk).approvals_enabled is True
    page = admin_client.get(response["Location"]).content.decode()
    assert "Leo Lead &lt;lead@initech.test&gt;: the step “Team lead” has no approver" in page


def test_a_company_already_enabled_can_still_be_saved(admin_client):
    """The refusal is about switching on: other edits of an enabled company are saved."""
    company = CompanyFactory(name="On Co", approvals_enabled=True)
    response = change(admin_client, company, decision_window_days="9")
    assert response.status_code == 302
    assert Company.objects.get(pk=company.pk).decision_window_days == 9


def test_enable_action_enables_only_companies_where_a_manager_could_get_an_approval(admin_client):
    ready = initech(approvals_enabled=False)
    blocked = CompanyFactory(name="Blocked Co", approvals_enabled=False)
    hiring_manager(blocked, full_name="Bo Blocked")
    response = admin_client.post(
        reverse("admin:accounts_company_changelist"),
        {"action": "enable_approvals", "_selected_action": [ready.company.pk, blocked.pk]},
        follow=True,
    )
    page = response.content.decode()
    assert "Approvals enabled for 1 companies." in page
    assert (
        "Approvals cannot be enabled for Blocked Co: no hiring manager could get an approval — "
        "Bo Blocked &lt;" in page
    )
    assert Company.objects.get(pk=ready.company.pk).approvals_enabled is True
    assert Company.objects.get(pk=blocked.pk).approvals_enabled is False


def test_staff_who_cannot_see_roles_are_refused_on_the_roles_as_saved(client):
    """Without the membership permissions the roles inline is not on the page: the company
    form itself checks."""
    from django.contrib.auth.models import Permission

    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(*Permission.objects.filter(
        content_type__app_label="accounts", codename__in=["view_company", "change_company"]
    ))
    client.force_login(staff)
    company = CompanyFactory(name="Lonely Co", approvals_enabled=False)
    hiring_manager(company, full_name="Lou Lonely")
    url = reverse("admin:accounts_company_change", args=[company.pk])
    assert "memberships-TOTAL_FORMS" not in client.get(url).content.decode()
    response = client.post(url, {
        "name": "Lonely Co", "is_enterprise": "on", "approvals_enabled": "on",
        "decision_window_days": "14", "approval_validity_days": "30",
    })
    assert response.status_code == 200
    assert "Approvals cannot be enabled for Lonely Co: no hiring manager could get an approval" in (
        response.content.decode()
    )
    assert Company.objects.get(pk=company.pk).approvals_enabled is False
    approver(company)
    assert client.post(url, {
        "name": "Lonely Co", "is_enterprise": "on", "approvals_enabled": "on",
        "decision_window_days": "14", "approval_validity_days": "30",
    }).status_code == 302
    assert Company.objects.get(pk=company.pk).approvals_enabled is True
