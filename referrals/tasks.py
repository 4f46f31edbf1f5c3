"""Thin email tasks for referrals: load by id, check state, call the email function.

A task may run twice; send_once makes the second run a no-op.
"""

from celery import shared_task

from accounts.tasks import EMAIL_TASK_OPTIONS
from jobs.models import Invite

from . import emails
from .models import Referral


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
