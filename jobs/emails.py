"""Invite notifications, one function per kind. Each writes the notification in the caller's
transaction (accounts.notifications.notify); the relay emails it after commit. The context
holds plain values computed now."""

from django.urls import reverse

from accounts.mail import absolute_url
from accounts.models import Notification
from accounts.notifications import notify

from .models import Invite

TEMPLATES = "jobs/emails"
Kind = Notification.Kind


def _job(invite: Invite) -> dict:
    job = invite.job
    return {"title": job.title, "company_name": job.company.name, "connects_price": job.connects_price}


def send_invite_received(invite: Invite) -> Notification:
    """A direct invite → the freelancer, with the hiring manager's message and a link."""
    job = invite.job
    link = reverse("jobs:invite_detail", args=[invite.pk])
    return notify(
        key=f"invite-received:{invite.pk}",
        kind=Kind.INVITE_RECEIVED,
        recipient=invite.freelancer,
        title=f"{invite.invited_by.full_name} invited you to “{job.title}” at {job.company.name}",
        link=link,
        template=f"{TEMPLATES}/invite-received",
        context={
            "invite": {
                "freelancer_short_name": invite.freelancer.get_short_name(),
                "invited_by_name": invite.invited_by.full_name,
                "message": invite.message,
            },
            "job": _job(invite),
            "url": absolute_url(link),
        },
    )


def _answer(invite: Invite, *, kind: str, title: str) -> Notification:
    """An answered invite → the hiring manager who sent it."""
    referral = getattr(invite, "referral_made", None) if invite.state == Invite.State.DECLINED else None
    referred_by = getattr(invite, "referral", None) if invite.source == Invite.Source.REFERRAL else None
    link = reverse("jobs:job_invitees", args=[invite.job_id])
    return notify(
        key=f"{kind}:{invite.pk}",
        kind=kind,
        recipient=invite.invited_by,
        title=title,
        link=link,
        template=f"{TEMPLATES}/{kind}",
        context={
            "invite": {
                "invited_by_short_name": invite.invited_by.get_short_name(),
                "freelancer_name": invite.freelancer.full_name,
                "source": invite.source,
                "referrer_name": referred_by.referrer.full_name if referred_by else "",
                "decline_reason": invite.decline_reason,
            },
            "job": _job(invite),
            "referral": {"referred_name": referral.referred.full_name} if referral else None,
            "url": absolute_url(link),
        },
    )


def send_invite_accepted(invite: Invite) -> Notification:
    """An accepted invite → the hiring manager who sent it."""
    return _answer(
        invite, kind=Kind.INVITE_ACCEPTED,
        title=f"{invite.freelancer.full_name} accepted your invite to “{invite.job.title}”",
    )


def send_invite_declined(invite: Invite) -> Notification:
    """A declined invite → the hiring manager, with the reason and whom they referred, if anyone
    (a referral made in the same transaction is created before the invite is declined)."""
    referral = getattr(invite, "referral_made", None)
    referred = f" and referred {referral.referred.full_name}" if referral else ""
    return _answer(
        invite, kind=Kind.INVITE_DECLINED,
        title=f"{invite.freelancer.full_name} declined your invite to “{invite.job.title}”{referred}",
    )
