"""Reads for the referral beta and the Referrals tab, scoped to the signed-in freelancer."""

import hashlib

from django.db import connection
from django.db.models import Count, Prefetch, Q

from jobs.models import Invite

from .models import BetaOverride, Referral, ReferralSettings, ReferralTally

# Changing the salt reshuffles every bucket; keep it fixed so membership is stable.
BETA_SALT = "greenlight:referral-beta:v1"


def referral_beta_bucket(*, user_id: int) -> int:
    """The user's stable bucket 0–99: sha256 of the salt and the user id, modulo 100.

    The same id always lands in the same bucket, and buckets spread evenly, so a rollout of
    N% lets in the users whose bucket is below N, and raising N only ever adds users.
    """
    digest = hashlib.sha256(f"{BETA_SALT}:{user_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % 100


def user_in_referral_beta(*, user) -> bool:
    """Whether this freelancer sees Decline and refer: their override, else bucket < rollout.

    Only active freelancers can be in the beta. The answer is cached on the user object so a
    page asks the database once (two small queries) however often it checks.
    """
    cached = getattr(user, "_in_referral_beta", None)
    if cached is not None:
        return cached
    if not (user.is_authenticated and user.is_active and user.is_freelancer):
        result = False
    else:
        override = BetaOverride.objects.filter(user_id=user.pk).values_list("mode", flat=True).first()
        if override is not None:
            result = override == BetaOverride.Mode.ALWAYS
        else:
            rollout = ReferralSettings.load().rollout_percentage
            result = referral_beta_bucket(user_id=user.pk) < rollout
    user._in_referral_beta = result
    return result


# The referred freelancer was hired: their offer for the job was accepted (recorded on the invite).
HIRED = Q(new_invite__hired_at__isnull=False)


def referrals_made_by(*, user):
    """The referrals this freelancer made, newest first, with job, person and outcome."""
    return (
        Referral.objects.filter(referrer_id=user.pk)
        .select_related("job__company", "referred", "new_invite")
    )


def invites_referred_to(*, user):
    """The invites others referred to this freelancer, with the referrer's name."""
    return (
        Invite.objects.filter(freelancer_id=user.pk, source=Invite.Source.REFERRAL)
        .select_related("job__company")
        # The referral by its unique new_invite index, one query for the page's invites: joined,
        # PostgreSQL hashed every referral in the table (25,000 at a million requests).
        .prefetch_related(Prefetch("referral", queryset=Referral.objects.select_related("referrer")))
    )


def referral_counts(*, user) -> dict:
    """How many referrals this user made, how many different freelancers, and how many were hired.

    "How many freelancers you referred" counts people: a person referred to two jobs is one
    freelancer, so ``referred`` counts distinct people and ``referrals`` counts the rows.
    """
    if connection.vendor == "postgresql":
        # Kept as referrals and hires are written (ReferralTally): one row, whatever the history.
        kept = ReferralTally.objects.filter(referrer_id=user.pk).values(
            "referrals", "referred", "hired"
        ).first()
        return kept or {"referrals": 0, "referred": 0, "hired": 0}
    return counted_referrals(user=user)


def counted_referrals(*, user) -> dict:
    """referral_counts from the referrals themselves (other databases; the tests' reference)."""
    made = Referral.objects.filter(referrer_id=user.pk)
    return made.aggregate(
        referrals=Count("pk"),
        referred=Count("referred_id", distinct=True),
        hired=Count("pk", filter=HIRED),
    )


def referrals_made_today(*, user, since) -> int:
    return Referral.objects.filter(referrer_id=user.pk, created_at__gte=since).count()
