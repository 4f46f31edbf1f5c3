"""Referral notifications, one function per kind. Each writes the notification in the caller's
transaction (accounts.notifications.notify); the relay emails it after commit. The context
holds plain values computed now."""

from django.urls import reverse

from accounts.mail import absolute_url
from accounts.models import Notification
from accounts.notifications import notify

from .models import Referral

Kind = Notification.Kind


def _job(referral: Referral) -> dict:
    return {"title": referral.job.title, "company_name": referral.job.company.name}


def send_referral_invite(referral: Referral) -> Notification:
    """The referral's invite → the referred freelancer; the notification names the referrer."""
    invite = referral.new_invite
    link = reverse("jobs:invite_detail", args=[invite.pk])
    return notify(
        key=f"referral-invite:{referral.pk}",
        kind=Kind.REFERRAL_INVITE,
        recipient=referral.referred,
        title=f"{referral.referrer.full_name} referred you to “{referral.job.title}”",
        link=link,
        template="referrals/emails/referral-invite",
        context={
            "referral": {
                "referred_short_name": referral.referred.get_short_name(),
                "referrer_name": referral.referrer.full_name,
                "referrer_short_name": referral.referrer.get_short_name(),
                "note": referral.note,
            },
            "invite": {"message": invite.message},
            "job": _job(referral),
            "url": absolute_url(link),
        },
    )


def send_referral_outcome(referral: Referral) -> Notification:
    """The referred freelancer accepted or declined → the referrer."""
    state = referral.new_invite.state
    accepted = state == "accepted"
    link = reverse("referrals:list")
    return notify(
        key=f"referral-outcome:{referral.pk}:{state}",
        kind=Kind.REFERRAL_OUTCOME,
        recipient=referral.referrer,
        title=(
            f"{referral.referred.full_name} {'accepted' if accepted else 'declined'} "
            f"the invite to “{referral.job.title}” you referred them to"
        ),
        link=link,
        template="referrals/emails/referral-outcome",
        context={
            "referral": {
                "referrer_short_name": referral.referrer.get_short_name(),
                "referred_name": referral.referred.full_name,
            },
            "job": _job(referral),
            "accepted": accepted,
            "url": absolute_url(link),
        },
    )
