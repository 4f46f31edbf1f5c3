from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

import accounts.demo
import approvals.demo
import jobs.demo
import offers.demo
import referrals.demo

# Order matters: people and companies, then job posts, then requests, the offers that use
# them, and the referral beta with its invites.
SEEDERS = [accounts.demo, jobs.demo, approvals.demo, offers.demo, referrals.demo]


class Command(BaseCommand):
    help = "Create the demo companies, people, jobs and requests. Safe to run again."

    def handle(self, *args, **options):
        if not settings.DEMO_SEED_ALLOWED:
            raise CommandError(
                "Demo data is not allowed here: it creates a superuser whose password is public. "
                "Set DEMO_SEED_ALLOWED=true only for a demo stack."
            )
        with transaction.atomic():
            for module in SEEDERS:
                module.seed()
        self.stdout.write(self.style.SUCCESS("Demo data ready. Password for every demo login: "
                                             f"{accounts.demo.DEMO_PASSWORD}"))
        for email in [m[0] for m in accounts.demo.MEMBERS] + [
            f[0] for f in accounts.demo.FREELANCERS
        ] + ["admin@greenlight.test"]:
            self.stdout.write(f"  {email}")
