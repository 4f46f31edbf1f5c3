import pytest
from django.urls import reverse

from referrals.models import BetaOverride, ReferralSettings
from referrals.services import referral_create
from tests.factories import UserFactory, beta_freelancer, direct_invite, freelancer

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client):
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    return client


def test_referrals_are_listed_with_filters(staff):
    ada = beta_freelancer(user__full_name="Ada Lovelace")
    original = direct_invite(ada)
    referral_create(invite_id=original.pk, referrer=ada, referred=freelancer(), reason="Busy")
    url = reverse("admin:referrals_referral_changelist")
    response = staff.get(url)
    assert response.status_code == 200 and "Ada Lovelace" in response.content.decode()
    assert "By outcome" in response.content.decode()
    assert "Ada Lovelace" in staff.get(url, {"outcome": "pending"}).content.decode()
    assert "Ada Lovelace" not in staff.get(url, {"outcome": "hired"}).content.decode()


def test_referrals_are_a_read_only_record_in_the_admin(staff):
    ada = beta_freelancer(user__full_name="Ada Lovelace")
    referral = referral_create(
        invite_id=direct_invite(ada).pk, referrer=ada, referred=freelancer(), reason="Busy"
    )
    page = staff.get(reverse("admin:referrals_referral_change", args=[referral.pk]))
    assert page.status_code == 200 and "Ada Lovelace" in page.content.decode()
    assert 'name="_save"' not in page.content.decode()
    assert staff.get(reverse("admin:referrals_referral_delete", args=[referral.pk])).status_code == 403
    changelist = staff.post(
        reverse("admin:referrals_referral_changelist"),
        {"action": "delete_selected", "_selected_action": [referral.pk], "post": "yes"},
    )
    assert changelist.status_code in (200, 302, 403)
    assert type(referral).objects.filter(pk=referral.pk).exists()


def test_staff_set_the_rollout_and_daily_cap(staff):
    settings = ReferralSettings.load()
    url = reverse("admin:referrals_referralsettings_change", args=[settings.pk])
    response = staff.post(url, {"rollout_percentage": 30, "daily_referral_cap": 5})
    assert response.status_code == 302
    settings.refresh_from_db()
    assert (settings.rollout_percentage, settings.daily_referral_cap) == (30, 5)
    response = staff.post(url, {"rollout_percentage": 101, "daily_referral_cap": 5})
    assert response.status_code == 200
    settings.refresh_from_db()
    assert settings.rollout_percentage == 30


def test_staff_add_per_user_overrides(staff):
    grace = freelancer()
    response = staff.post(
        reverse("admin:referrals_betaoverride_add"), {"user": grace.pk, "mode": "never", "note": ""}
    )
    assert response.status_code == 302
    assert BetaOverride.objects.get(user=grace).mode == "never"
    assert staff.get(reverse("admin:referrals_betaoverride_changelist")).status_code == 200


def test_invites_and_the_connects_ledger_are_visible(staff):
    direct_invite()
    assert staff.get(reverse("admin:jobs_invite_changelist")).status_code == 200
    assert staff.get(reverse("admin:accounts_connectsledgerentry_changelist")).status_code == 200
    assert staff.get(reverse("admin:referrals_referralsettings_changelist")).status_code == 200


def test_the_freelancer_admin_shows_the_connects_ledger(staff):
    from jobs.services import invite_accept

    invite = direct_invite()
    invite_accept(invite_id=invite.pk, freelancer=invite.freelancer)
    profile = invite.freelancer.freelancer_profile
    page = staff.get(reverse("admin:accounts_freelancerprofile_change", args=[profile.pk])).content.decode()
    assert f"invite:{invite.pk}" in page
    ledger = staff.get(reverse("admin:accounts_connectsledgerentry_changelist")).content.decode()
    assert f"invite:{invite.pk}" in ledger


def test_a_balance_set_by_staff_is_written_to_the_ledger(staff):
    from accounts.models import ConnectsLedgerEntry

    profile = freelancer(connects_balance=20).freelancer_profile
    url = reverse("admin:accounts_freelancerprofile_change", args=[profile.pk])
    response = staff.post(
        url,
        {
            "user": profile.user_id,
            "title": profile.title,
            "skills": profile.skills,
            "bio": "",
            "hourly_rate": "80.00",
            "hourly_rate_currency": "USD",
            "connects_balance": 35,
            "connects_entries-TOTAL_FORMS": 0,
            "connects_entries-INITIAL_FORMS": 0,
            "connects_entries-MIN_NUM_FORMS": 0,
            "connects_entries-MAX_NUM_FORMS": 1000,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = ConnectsLedgerEntry.objects.get(freelancer=profile)
    assert (entry.change, entry.balance_after, entry.reason) == (15, 35, "adjustment")
