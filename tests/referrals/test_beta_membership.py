import pytest
from django.urls import reverse

from referrals.models import BetaOverride
from referrals.selectors import referral_beta_bucket, user_in_referral_beta
from tests.factories import BetaOverrideFactory, freelancer, hiring_manager, set_referral_settings


def test_the_bucket_is_stable_and_between_0_and_99():
    buckets = [referral_beta_bucket(user_id=user_id) for user_id in range(1, 500)]
    assert buckets == [referral_beta_bucket(user_id=user_id) for user_id in range(1, 500)]
    assert all(0 <= bucket < 100 for bucket in buckets)


@pytest.mark.parametrize("percentage", [0, 5, 30, 50, 100])
def test_the_rollout_percentage_lets_in_that_share_of_10000_users(percentage):
    inside = sum(referral_beta_bucket(user_id=user_id) < percentage for user_id in range(1, 10_001))
    assert abs(inside / 10_000 - percentage / 100) <= 0.02


def test_raising_the_rollout_only_adds_users():
    ids = range(1, 2001)
    at_20 = {i for i in ids if referral_beta_bucket(user_id=i) < 20}
    at_40 = {i for i in ids if referral_beta_bucket(user_id=i) < 40}
    assert at_20 < at_40


def _fresh(user):
    user.refresh_from_db()
    user.__dict__.pop("_in_referral_beta", None)
    return user


@pytest.mark.django_db
def test_membership_follows_the_bucket_against_the_percentage_stored_in_settings():
    users = [freelancer() for _ in range(40)]
    set_referral_settings(rollout_percentage=50)
    for user in users:
        expected = referral_beta_bucket(user_id=user.pk) < 50
        assert user_in_referral_beta(user=_fresh(user)) is expected
    set_referral_settings(rollout_percentage=100)
    assert all(user_in_referral_beta(user=_fresh(user)) for user in users)
    set_referral_settings(rollout_percentage=0)
    assert not any(user_in_referral_beta(user=_fresh(user)) for user in users)


@pytest.mark.django_db
def test_overrides_win_over_the_rollout():
    always, never = freelancer(), freelancer()
    BetaOverrideFactory(user=always, mode=BetaOverride.Mode.ALWAYS)
    BetaOverrideFactory(user=never, mode=BetaOverride.Mode.NEVER)
    set_referral_settings(rollout_percentage=0)
    assert user_in_referral_beta(user=_fresh(always)) is True
    set_referral_settings(rollout_percentage=100)
    assert user_in_referral_beta(user=_fresh(never)) is False


@pytest.mark.django_db
def test_clients_and_inactive_users_are_never_in_the_beta():
    set_referral_settings(rollout_percentage=100)
    manager = hiring_manager()
    BetaOverrideFactory(user=manager, mode=BetaOverride.Mode.ALWAYS)
    inactive = freelancer(user__is_active=False)
    assert not user_in_referral_beta(user=manager)
    assert not user_in_referral_beta(user=inactive)


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", ["jobs:find_work", "jobs:invitations"])
def test_beta_freelancers_see_the_notice_on_find_work_and_invitations(client, url_name):
    inside, outside = freelancer(), freelancer()
    BetaOverrideFactory(user=inside, mode=BetaOverride.Mode.ALWAYS)
    BetaOverrideFactory(user=outside, mode=BetaOverride.Mode.NEVER)
    client.force_login(inside)
    assert "Referrals beta" in client.get(reverse(url_name)).content.decode()
    client.force_login(outside)
    assert "Referrals beta" not in client.get(reverse(url_name)).content.decode()
