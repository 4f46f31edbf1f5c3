"""Thin email tasks for invites and referrals: load by id, check state, call the email function.

Invite tasks live here too because Celery autodiscovers only ``<app>.tasks`` modules and the
offers app's tasks.py belongs to the offers work. A task may run twice; send_once makes the
second run a no-op.
"""

from celery import shared_task

from accounts.tasks import EMAIL_TASK_OPTIONS
from offers import invite_emails
from offers.models import Invite

from . import emails
from .models import Referral


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
    return invite_emails.send_invite_received(invite)


@shared_task(**EMAIL_TASK_OPTIONS)
def send_invite_response_email(invite_id: int) -> bool:
    invite = _invite(invite_id)
    if invite is None:
        return False
    if invite.state == Invite.State.ACCEPTED:
        return invite_emails.send_invite_accepted(invite)
    if invite.state == Invite.State.DECLINED:
        return invite_emails.send_invite_declined(invite)
    return False


@shared_task(**EMAIL_TASK_OPTIONS)
def send_referral_invite_email(referral_id: int) -> bool:
    referral = (
        Referral.objects.select_related("job__company", "referrer", "referred", "new_invite__invited_by")
        .filter(pk=referral_id)
        .first()
    )
    if referral is None:
        return False
    return emails.send_referral_invite(referral)


@shared_task(**EMAIL_TASK_OPTIONS)
def send_referral_outcome_email(invite_id: int) -> bool:
    """The referred freelancer answered the invite (by id) that a referral created."""
    referral = (
        Referral.objects.select_related("job__company", "referrer", "referred", "new_invite")
        .filter(new_invite_id=invite_id)
        .first()
    )
    if referral is None or referral.new_invite.state == Invite.State.PENDING:
        return False
    return emails.send_referral_outcome(referral)
