"""Writes on invites: a hiring manager invites, a freelancer accepts or declines.

Each service is atomic, locks the rows a race could touch, and enqueues its emails only
after the transaction commits.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import ConnectsLedgerEntry, FreelancerProfile

from .models import Invite, Job, Offer, Proposal


class InviteError(Exception):
    """A refused action, with a message fit to show the user."""


def freelancer_invite_refusal(*, job: Job, freelancer) -> str | None:
    """Why this person cannot get an invite to the job, or None when they can.

    Shared by direct invites and referrals: the person must be an active freelancer, not a
    member of the job's company, and not already invited to, proposing for or offered the job.
    """
    name = freelancer.full_name or "This person"
    if not freelancer.is_active or freelancer.freelancer_profile_or_none is None:
        return f"{name} is not an active freelancer on Greenlight."
    membership = freelancer.membership_or_none
    if membership is not None and membership.company_id == job.company_id:
        return f"{name} is a member of {job.company.name}, the client for this job."
    if Invite.objects.filter(job=job, freelancer=freelancer).exists():
        return f"{name} already has an invite to this job."
    if Proposal.objects.filter(job=job, freelancer=freelancer).exists():
        return f"{name} already sent a proposal for this job."
    if Offer.objects.filter(job=job, freelancer=freelancer).exists():
        return f"{name} already has an offer for this job."
    return None


def invite_create(*, job: Job, invited_by, freelancer, message: str = "") -> Invite:
    """A hiring manager of the job's company invites a freelancer to an open job.

    Direct invites are limited per job (job.direct_invite_limit); invites that come from
    referrals do not count. The job row is locked so two invites racing for the last slot
    cannot both pass the limit.
    """
    from referrals.tasks import send_invite_received_email

    with transaction.atomic():
        job = Job.objects.select_for_update().select_related("company").get(pk=job.pk)
        membership = invited_by.membership_or_none
        if (
            membership is None or membership.company_id != job.company_id
            or not membership.is_hiring_manager
        ):
            raise InviteError(f"Only hiring managers of {job.company.name} can invite to this job.")
        if job.status != Job.Status.OPEN:
            raise InviteError("This job is closed: it cannot take new invites.")
        refusal = freelancer_invite_refusal(job=job, freelancer=freelancer)
        if refusal:
            raise InviteError(refusal)
        used = job.invites.filter(source=Invite.Source.DIRECT).count()
        if used >= job.direct_invite_limit:
            raise InviteError(
                f"This job has used all {job.direct_invite_limit} of its direct invites."
            )
        try:
            with transaction.atomic():
                invite = Invite.objects.create(
                    job=job, freelancer=freelancer, invited_by=invited_by,
                    source=Invite.Source.DIRECT, message=message.strip(),
                )
        except IntegrityError as exc:
            raise InviteError(f"{freelancer.full_name} already has an invite to this job.") from exc
        send_invite_received_email.delay_on_commit(invite.pk)
    return invite


def _lock_pending_invite(*, invite_id: int, freelancer) -> Invite:
    invite = (
        Invite.objects.select_for_update(of=("self",))
        .select_related("job")
        .get(pk=invite_id, freelancer_id=freelancer.pk)
    )
    if invite.state != Invite.State.PENDING:
        raise InviteError(f"You already {invite.get_state_display().lower()} this invite.")
    return invite


def invite_accept(*, invite_id: int, freelancer) -> Proposal:
    """Accept an invite: creates the freelancer's proposal for the job.

    A direct invite costs the job's Connects price, taken from the balance with the profile
    row locked and written to the Connects ledger; it is refused when the balance is short,
    so two accepts racing can never take the balance below zero (the database's check on
    the balance is the last guard). An invite that came from a referral costs nothing.
    """
    from referrals.tasks import send_invite_response_email, send_referral_outcome_email

    with transaction.atomic():
        invite = _lock_pending_invite(invite_id=invite_id, freelancer=freelancer)
        job = invite.job
        if job.status != Job.Status.OPEN:
            raise InviteError("This job is closed: its invites can no longer be accepted.")
        price = job.connects_price if invite.source == Invite.Source.DIRECT else 0
        profile = FreelancerProfile.objects.select_for_update().get(user_id=freelancer.pk)
        if price > profile.connects_balance:
            raise InviteError(
                f"Accepting this invite costs {price} Connects and you have "
                f"{profile.connects_balance}. Get more Connects, then accept again."
            )
        if price:
            profile.connects_balance -= price
            profile.save(update_fields=["connects_balance"])
            ConnectsLedgerEntry.objects.create(
                freelancer=profile, change=-price, balance_after=profile.connects_balance,
                reason=ConnectsLedgerEntry.Reason.INVITE_ACCEPTED, reference=f"invite:{invite.pk}",
                description=f"Accepted the invite to “{job.title}”",
            )
        invite.state = Invite.State.ACCEPTED
        invite.responded_at = timezone.now()
        invite.save(update_fields=["state", "responded_at"])
        try:
            with transaction.atomic():
                proposal = Proposal.objects.create(
                    job=job, freelancer=freelancer, invite=invite, connects_spent=price
                )
        except IntegrityError as exc:
            raise InviteError("You already sent a proposal for this job.") from exc
        send_invite_response_email.delay_on_commit(invite.pk)
        if invite.source == Invite.Source.REFERRAL:
            send_referral_outcome_email.delay_on_commit(invite.pk)
    return proposal


def invite_decline(*, invite_id: int, freelancer, reason: str) -> Invite:
    """Decline a pending invite with a reason; the hiring manager (and referrer) are told."""
    from referrals.tasks import send_invite_response_email, send_referral_outcome_email

    reason = reason.strip()
    if not reason:
        raise InviteError("Tell the client why you are declining.")
    with transaction.atomic():
        invite = _lock_pending_invite(invite_id=invite_id, freelancer=freelancer)
        invite_mark_declined(invite=invite, reason=reason)
        send_invite_response_email.delay_on_commit(invite.pk)
        if invite.source == Invite.Source.REFERRAL:
            send_referral_outcome_email.delay_on_commit(invite.pk)
    return invite


def invite_mark_declined(*, invite: Invite, reason: str) -> Invite:
    """Set a locked, pending invite to declined (inside the caller's transaction)."""
    invite.state = Invite.State.DECLINED
    invite.decline_reason = reason
    invite.responded_at = timezone.now()
    invite.save(update_fields=["state", "decline_reason", "responded_at"])
    return invite
