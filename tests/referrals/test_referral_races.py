import pytest

from offers.models import Invite
from referrals.models import Referral
from referrals.services import referral_create
from tests.concurrency import outcomes, run_together
from tests.factories import beta_freelancer, client_job, direct_invite, freelancer, set_referral_settings

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_referrals_from_the_same_invite_at_once_make_exactly_one():
    invite = direct_invite(beta_freelancer())
    results = outcomes(run_together(
        lambda: referral_create(
            invite_id=invite.pk, referrer=invite.freelancer, referred=freelancer(), reason="Busy"
        ),
        lambda: referral_create(
            invite_id=invite.pk, referrer=invite.freelancer, referred=freelancer(), reason="Busy"
        ),
    ))
    assert results.count("ok") == 1
    assert Referral.objects.count() == 1
    assert Invite.objects.filter(source=Invite.Source.REFERRAL).count() == 1


def test_two_freelancers_referring_the_same_person_at_once_make_exactly_one():
    job = client_job()
    first, second = direct_invite(beta_freelancer(), job=job), direct_invite(beta_freelancer(), job=job)
    grace = freelancer()
    results = outcomes(run_together(
        lambda: referral_create(invite_id=first.pk, referrer=first.freelancer, referred=grace, reason="Busy"),
        lambda: referral_create(
            invite_id=second.pk, referrer=second.freelancer, referred=grace, reason="Busy"
        ),
    ))
    assert results.count("ok") == 1
    assert Referral.objects.count() == 1
    # The loser's decline was rolled back with the refused referral: nothing saved.
    states = sorted(Invite.objects.filter(pk__in=[first.pk, second.pk]).values_list("state", flat=True))
    assert states == ["declined", "pending"]


def test_two_referrals_racing_for_the_last_slot_of_the_daily_cap_make_exactly_one():
    set_referral_settings(daily_referral_cap=3)
    referrer = beta_freelancer()
    for _ in range(2):
        referral_create(
            invite_id=direct_invite(referrer).pk, referrer=referrer, referred=freelancer(), reason="Busy"
        )
    first, second = direct_invite(referrer), direct_invite(referrer)
    results = outcomes(run_together(
        lambda: referral_create(invite_id=first.pk, referrer=referrer, referred=freelancer(), reason="Busy"),
        lambda: referral_create(invite_id=second.pk, referrer=referrer, referred=freelancer(), reason="Busy"),
    ))
    assert results.count("ok") == 1
    assert any("up to 3 freelancers in 24 hours" in result for result in results)
    assert Referral.objects.filter(referrer=referrer).count() == 3
    # The refused one changed nothing: its invite is still pending.
    states = sorted(Invite.objects.filter(pk__in=[first.pk, second.pk]).values_list("state", flat=True))
    assert states == ["declined", "pending"]
