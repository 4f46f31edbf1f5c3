"""Referral emails, one function per kind, each sent once (accounts.mail.send_once)."""

from django.urls import reverse

from accounts.mail import absolute_url, send_once

from .models import Referral


def send_referral_invite(referral: Referral) -> bool:
    """The referral's invite → the referred freelancer, naming the referrer."""
    invite = referral.new_invite
    return send_once(
        key=f"referral-invite:{referral.pk}",
        template="referrals/emails/referral-invite",
        to=[referral.referred.email],
        context={
            "referral": referral,
            "invite": invite,
            "job": referral.job,
            "url": absolute_url(reverse("jobs:invite_detail", args=[invite.pk])),
        },
    )


def send_referral_outcome(referral: Referral) -> bool:
    """The referred freelancer accepted or declined → the referrer."""
    state = referral.new_invite.state
    return send_once(
        key=f"referral-outcome:{referral.pk}:{state}",
        template="referrals/emails/referral-outcome",
        to=[referral.referrer.email],
        context={
            "referral": referral,
            "job": referral.job,
            "accepted": state == "accepted",
            "url": absolute_url(reverse("referrals:list")),
        },
    )
