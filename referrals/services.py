"""Writes for referrals: decline an invite and refer another freelancer, in one transaction."""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import FreelancerProfile
from offers.invite_services import freelancer_invite_refusal, invite_mark_declined
from offers.models import Invite, Job

from .models import Referral, ReferralSettings
from .selectors import referrals_made_today, user_in_referral_beta

DAILY_CAP_WINDOW = timedelta(hours=24)


class ReferralError(Exception):
    """A refused referral, with a message fit to show the user. Nothing was saved."""


def referral_create(*, invite_id: int, referrer, referred, reason: str = "", note: str = "") -> Referral:
    """Decline the referrer's invite and give the referred freelancer a new invite to the job.

    All or nothing, in one transaction: the invite is declined (with the reason), a new invite
    whose source is the referral is created for the referred freelancer (sent in the name of
    the original invite's hiring manager), and the Referral links the two.

    Refused when: the referrer is not in the referral beta; the invite was accepted, or
    already gave a referral (one referral per declined invite, also a database constraint);
    the job is closed; the referred person is the referrer, not an active freelancer, a member
    of the client's company, already invited to / proposing for / offered the job, or already
    referred to it; or the referrer already made the daily cap of referrals in the last 24
    hours. A declined invite that gave no referral yet may still refer (decline first, refer
    later). The invite row, then the referrer's profile row, are locked (the order invite_accept
    uses) so parallel referrals respect the cap and never deadlock with an accept.
    """
    from referrals.tasks import send_invite_response_email, send_referral_invite_email

    reason = reason.strip()
    with transaction.atomic():
        if not user_in_referral_beta(user=referrer):
            raise ReferralError("Referring a freelancer is in beta and not open to your account yet.")
        # Lock order: the invite, then the referrer's profile, the same order as invite_accept,
        # so Accept and Decline and refer on one invite at once queue instead of deadlocking.
        invite = (
            Invite.objects.select_for_update(of=("self",))
            .select_related("job__company")
            .get(pk=invite_id, freelancer_id=referrer.pk)
        )
        FreelancerProfile.objects.select_for_update().get(user_id=referrer.pk)
        job = invite.job
        if Referral.objects.filter(original_invite=invite).exists():
            raise ReferralError("You already referred someone for this invite: one invite, one referral.")
        if invite.state == Invite.State.ACCEPTED:
            raise ReferralError("You accepted this invite, so you cannot refer someone else for it.")
        if job.status != Job.Status.OPEN:
            raise ReferralError("This job is closed: it cannot take referrals.")
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

        just_declined = invite.state == Invite.State.PENDING
        if just_declined:
            invite_mark_declined(invite=invite, reason=reason)
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
        if just_declined:
            send_invite_response_email.delay_on_commit(invite.pk)
        send_referral_invite_email.delay_on_commit(referral.pk)
    return referral
