import io

import pytest
from django.core.management import call_command
from django.db.models import Sum

from accounts.models import ConnectsLedgerEntry, FreelancerProfile, User
from jobs.models import Invite
from referrals.models import BetaOverride
from referrals.selectors import user_in_referral_beta

pytestmark = pytest.mark.django_db


def test_seed_demo_sets_up_the_beta_and_pending_invites_idempotently():
    call_command("seed_demo", stdout=io.StringIO())
    def counts():
        return Invite.objects.count(), BetaOverride.objects.count(), ConnectsLedgerEntry.objects.count()

    first = counts()
    call_command("seed_demo", stdout=io.StringIO())
    assert counts() == first

    def member(name):
        return user_in_referral_beta(user=User.objects.get(email=f"{name}@freelancers.test"))

    assert member("ada") and member("grace") and not member("linus")
    for name in ("ada", "linus"):
        invites = Invite.objects.filter(freelancer__email=f"{name}@freelancers.test", state="pending")
        assert invites.exists()
        assert all(
            i.job.company.name == "Acme Corp" and i.invited_by.email == "manager@acme.test" for i in invites
        )


def test_seed_demo_records_starting_connects_so_the_ledger_adds_up_to_each_balance():
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())
    profiles = FreelancerProfile.objects.annotate(ledger=Sum("connects_entries__change"))
    assert profiles.filter(connects_balance__gt=0).exists()
    for profile in profiles:
        assert (profile.ledger or 0) == profile.connects_balance, profile
