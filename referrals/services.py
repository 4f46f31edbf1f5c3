"""Writes for referrals: decline an invite and refer another freelancer, in one transaction."""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import FreelancerProfile
from jobs.models import Invite
from jobs.services import freelancer_invite_refusal, invite_mark_declined

from . import emails, rules
from .models import Referral, ReferralSettings
from .selectors import referrals_made_today

DAILY_CAP_WINDOW = timedelta(hours=24)


class ReferralError(Exception):
    """A refused referral, with a message fit to show the user. Nothing was saved."""


def referral_create(*, invite_id: int, referrer, referred, reason: str = "", note: str = "") -> Referral:
    """Decline the referrer's invite and give the referred freelancer a new invite to the job.

    All or nothing, in one transaction: the invite is declined (with the reason), a new invite
    whose source is the referral is created for the referred freelancer (sent in the name of
    the original invite's hiring manager), and the Referral links the two.

    The referrer must pass ``rules.can_refer`` on the invite, the referred freelancer must be
    one who could get an invite to the job (``jobs.services.freelancer_invite_refusal``) and was
    not referred to it before, and the referrer stays within the daily cap (the last 24 hours).
    The invite row, then the referrer's profile row, are locked (the order invite_accept uses)
    so parallel referrals respect the cap and never deadlock with an accept.
    """
    reason = reason.strip()
    with transaction.atomic():
        # Lock order: the invite, then the referrer's profile, the same order as invite_accept,
        # so Accept and Decline and refer on one invite at once queue instead of deadlocking.
        invite = (
            Invite.objects.select_for_update(of=("self",))
            .select_related("job__company")
            .get(pk=invite_id, freelancer_id=referrer.pk)
        )
        FreelancerProfile.objects.select_for_update().get(user_id=referrer.pk)
        job = invite.job
        refusal = rules.can_refer(referrer, invite)
        if refusal:
            raise ReferralError(refusal)
        if invite.state == Invite.State.PENDING and not reason:
            raise ReferralError("Tell the client why you are declining.")
        if referred is None:
            raise ReferralError("Pick the freelancer you want to refer.")
        if referred.pk == referrer.pk:
            raise ReferralError("You cannot refer yourself.")
        if Referral.objects.filter(job=job, referred=referred).exists():
            raise ReferralError(f"{referred.full_name} was already referred to this job.")
        refusal = freelancer_invite_refusal(job=job, freelancer=referred)
        if refusal:
            raise ReferralError(refusal)
        cap = ReferralSettings.load().daily_referral_cap
        if referrals_made_today(user=referrer, since=timezone.now() - DAILY_CAP_WINDOW) >= cap:
            raise ReferralError(
                f"You can refer up to {cap} freelancers in 24 hours. Please try again tomorrow."
            )

        try:
            with transaction.atomic():
                new_invite = Invite.objects.create(
                    job=job, freelancer=referred, invited_by_id=invite.invited_by_id,
                    source=Invite.Source.REFERRAL, message=invite.message,
                )
                referral = Referral.objects.create(
                    job=job, referrer=referrer, referred=referred,
                    original_invite=invite, new_invite=new_invite, note=note.strip(),
                )
        except IntegrityError as exc:
            # Another request got there first (same invite, or same person for this job).
            raise ReferralError(
                f"{referred.full_name} was just invited or referred to this job by someone else, "
                "or this invite already gave a referral."
            ) from exc
        # Declined after the referral exists, so the hiring manager's notification names whom
        # the freelancer referred.
        if invite.state == Invite.State.PENDING:
            invite_mark_declined(invite=invite, reason=reason)
        emails.send_referral_invite(referral)
    return referral
