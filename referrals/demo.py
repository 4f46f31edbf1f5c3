"""Demo referral beta and invites. Idempotent: finds before it creates, sends no email."""

from accounts.models import User
from jobs.models import Invite, Job

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


def seed():
    ReferralSettings.load()
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
