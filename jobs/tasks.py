"""Thin email tasks for invites: load by id, check state, call the email function.

A task may run twice; send_once makes the second run a no-op.
"""

from celery import shared_task

from accounts.tasks import EMAIL_TASK_OPTIONS

from . import emails
from .models import Invite


def _invite(invite_id: int) -> Invite | None:
    return (
        Invite.objects.select_related(
            "job__company", "freelancer", "invited_by", "referral_made__referred", "referral__referrer"
        )
        .filter(pk=invite_id)
        .first()
    )


@shared_task(**EMAIL_TASK_OPTIONS)
def send_invite_received_email(invite_id: int) -> bool:
    invite = _invite(invite_id)
    if invite is None or invite.source != Invite.Source.DIRECT:
        return False
    return emails.send_invite_received(invite)


@shared_task(**EMAIL_TASK_OPTIONS)
def send_invite_response_email(invite_id: int) -> bool:
    invite = _invite(invite_id)
    if invite is None:
        return False
    if invite.state == Invite.State.ACCEPTED:
        return emails.send_invite_accepted(invite)
    if invite.state == Invite.State.DECLINED:
        return emails.send_invite_declined(invite)
    return False
