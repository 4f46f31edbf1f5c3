import pytest

from jobs.models import Invite
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


def test_accepting_and_referring_the_same_invite_at_once_gives_one_clear_answer():
    """Two tabs: Accept in one, Decline and refer in the other. One wins, the other is refused
    with a message (never a database deadlock error), and Connects are charged only on accept."""
    from jobs.services import invite_accept

    for _ in range(5):
        referrer = beta_freelancer(connects_balance=20)
        invite = direct_invite(referrer, job=client_job(connects_price=6))
        grace = freelancer()
        results = run_together(
            lambda invite=invite, referrer=referrer: invite_accept(invite_id=invite.pk, freelancer=referrer),
            lambda invite=invite, referrer=referrer, grace=grace: referral_create(
                invite_id=invite.pk, referrer=referrer, referred=grace, reason="Busy"
            ),
        )
        kinds = [kind for kind, _ in results]
        assert kinds.count("ok") == 1, results
        error = next(value for kind, value in results if kind == "error")
        assert type(error).__name__ in ("JobError", "ReferralError"), repr(error)
        invite.refresh_from_db()
        referrer.freelancer_profile.refresh_from_db()
        if invite.state == Invite.State.ACCEPTED:
            assert referrer.freelancer_profile.connects_balance == 14 and not Referral.objects.filter(
                original_invite=invite).exists()
        else:
            assert referrer.freelancer_profile.connects_balance == 20
            assert Referral.objects.filter(original_invite=invite).exists()
