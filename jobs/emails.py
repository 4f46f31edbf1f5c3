"""Invite emails, one function per kind. Each sends once per invite (accounts.mail.send_once)."""

from django.urls import reverse

from accounts.mail import absolute_url, send_once

from .models import Invite

TEMPLATES = "jobs/emails"


def send_invite_received(invite: Invite) -> bool:
    """A direct invite → the freelancer, with the hiring manager's message and a link."""
    return send_once(
        key=f"invite-received:{invite.pk}",
        template=f"{TEMPLATES}/invite-received",
        to=[invite.freelancer.email],
        context={
            "invite": invite,
            "job": invite.job,
            "url": absolute_url(reverse("jobs:invite_detail", args=[invite.pk])),
        },
    )


def _response_context(invite: Invite) -> dict:
    referral = getattr(invite, "referral_made", None) if invite.state == Invite.State.DECLINED else None
    return {
        "invite": invite,
        "job": invite.job,
        "referral": referral,
        "url": absolute_url(reverse("jobs:job_invitees", args=[invite.job_id])),
    }


def send_invite_accepted(invite: Invite) -> bool:
    """An accepted invite → the hiring manager who sent it."""
    return send_once(
        key=f"invite-accepted:{invite.pk}",
        template=f"{TEMPLATES}/invite-accepted",
        to=[invite.invited_by.email],
        context=_response_context(invite),
    )


def send_invite_declined(invite: Invite) -> bool:
    """A declined invite → the hiring manager, with the reason and whom they referred, if anyone."""
    return send_once(
        key=f"invite-declined:{invite.pk}",
        template=f"{TEMPLATES}/invite-declined",
        to=[invite.invited_by.email],
        context=_response_context(invite),
    )
