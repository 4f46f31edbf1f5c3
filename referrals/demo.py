"""Demo referral beta and invites. Idempotent: finds before it creates, sends no email."""

from accounts.models import ConnectsLedgerEntry, FreelancerProfile, User
from offers.models import Invite, Job

from .models import BetaOverride, ReferralSettings

BETA = [
    ("ada@freelancers.test", BetaOverride.Mode.ALWAYS),
    ("grace@freelancers.test", BetaOverride.Mode.ALWAYS),
    ("linus@freelancers.test", BetaOverride.Mode.NEVER),
]

# (freelancer, Acme job title): pending direct invites from manager@acme.test.
INVITES = [
    ("ada@freelancers.test", "Django developer for billing platform"),
    ("ada@freelancers.test", "Data pipeline engineer"),
    ("linus@freelancers.test", "Mobile app security audit"),
]


def _opening_connects():
    """Record each demo freelancer's starting Connects as a purchase, so the ledger adds up to
    the balance in the admin (accounts.demo sets the balances directly)."""
    for profile in FreelancerProfile.objects.filter(
        user__email__endswith="@freelancers.test", connects_balance__gt=0, connects_entries__isnull=True
    ):
        ConnectsLedgerEntry.objects.create(
            freelancer=profile, change=profile.connects_balance, balance_after=profile.connects_balance,
            reason=ConnectsLedgerEntry.Reason.PURCHASE, reference="demo:opening",
            description="Demo data: starting Connects",
        )


def seed():
    ReferralSettings.load()
    _opening_connects()
    for email, mode in BETA:
        BetaOverride.objects.update_or_create(
            user=User.objects.get(email=email), defaults={"mode": mode, "note": "Demo data"}
        )
    manager = User.objects.get(email="manager@acme.test")
    for email, title in INVITES:
        job = Job.objects.get(company__name="Acme Corp", title=title)
        Invite.objects.get_or_create(
            job=job,
            freelancer=User.objects.get(email=email),
            defaults={
                "invited_by": manager,
                "source": Invite.Source.DIRECT,
                "message": f"Hi! Your profile looks like a great fit for “{title}”. Interested?",
            },
        )
