import io

import pytest
from django.core.management import call_command

from accounts.models import User
from offers.models import Invite
from referrals.models import BetaOverride
from referrals.selectors import user_in_referral_beta

pytestmark = pytest.mark.django_db


def test_seed_demo_sets_up_the_beta_and_pending_invites_idempotently():
    call_command("seed_demo", stdout=io.StringIO())
    counts = (Invite.objects.count(), BetaOverride.objects.count())
    call_command("seed_demo", stdout=io.StringIO())
    assert (Invite.objects.count(), BetaOverride.objects.count()) == counts

    def member(name):
        return user_in_referral_beta(user=User.objects.get(email=f"{name}@freelancers.test"))

    assert member("ada") and member("grace") and not member("linus")
    for name in ("ada", "linus"):
        invites = Invite.objects.filter(freelancer__email=f"{name}@freelancers.test", state="pending")
        assert invites.exists()
        assert all(
            i.job.company.name == "Acme Corp" and i.invited_by.email == "manager@acme.test" for i in invites
        )
