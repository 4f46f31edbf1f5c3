"""Writes on job posts and invites: a hiring manager posts and invites, a freelancer accepts
or declines.

Each service is atomic, locks the rows a race could touch, logs the invite's transition and
writes the notifications it causes in the same transaction (emailed after commit). Apps above
jobs hear of answered invites through ``jobs.signals.invite_answered``, sent inside the
transaction.
"""

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.logging import actor_label, log_event
from accounts.models import ConnectsLedgerEntry
from accounts.services import ConnectsError, connects_change

from . import emails, rules
from .models import Invite, Job, Proposal
from .signals import engaged_on_job, invite_answered


class JobError(Exception):
    """A refused action on a job post or invite, with a message fit to show the user."""


@transaction.atomic
def job_create(
    *,
    posted_by,
    title: str,
    description: str,
    skills: str = "",
    contract_type: str,
    budget_amount: Decimal | None,
    budget_currency: str,
    connects_price: int = 6,
    direct_invite_limit: int = 30,
) -> Job:
    """Post a job for the poster's company (hiring managers only). Job posts never need approval."""
    refusal = rules.can_post_job(posted_by)
    if refusal:
        raise JobError(refusal)
    return Job.objects.create(
        company_id=posted_by.membership.company_id,
        posted_by=posted_by,
        title=title,
        description=description,
        skills=skills,
        contract_type=contract_type,
        budget_amount=budget_amount,
        budget_currency=budget_currency,
        connects_price=connects_price,
        direct_invite_limit=direct_invite_limit,
    )


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
    engaged = engaged_on_job(job=job, freelancer_ids=[freelancer.pk]).get(freelancer.pk)
    if engaged:
        return f"{name} already has {engaged} for this job."
    return None


def invite_create(*, job: Job, invited_by, freelancer, message: str = "") -> Invite:
    """A hiring manager of the job's company invites a freelancer to an open job.

    Direct invites are limited per job (job.direct_invite_limit); invites that come from
    referrals do not count. The job row is locked so two invites racing for the last slot
    cannot both pass the limit.
    """
    with transaction.atomic():
        job = Job.objects.select_for_update().select_related("company").get(pk=job.pk)
        refusal = rules.can_invite(invited_by, job) or freelancer_invite_refusal(
            job=job, freelancer=freelancer
        )
        if refusal:
            raise JobError(refusal)
        used = job.invites.filter(source=Invite.Source.DIRECT).count()
        if used >= job.direct_invite_limit:
            raise JobError(f"This job has used all {job.direct_invite_limit} of its direct invites.")
        try:
            with transaction.atomic():
                invite = Invite.objects.create(
                    job=job, freelancer=freelancer, invited_by=invited_by,
                    source=Invite.Source.DIRECT, message=message.strip(),
                )
        except IntegrityError as exc:
            raise JobError(f"{freelancer.full_name} already has an invite to this job.") from exc
        _log_transition(invite, actor=invited_by, source="")
        emails.send_invite_received(invite)
    return invite


def _log_transition(invite: Invite, *, actor, source: str) -> None:
    log_event(
        "invite.transition", object=f"invite:{invite.pk}", actor=actor_label(actor),
        **{"from": source or "none", "to": invite.state}, outcome="ok",
    )


def invite_lock_pending(*, invite_id: int, freelancer) -> Invite:
    """The freelancer's own pending invite, row-locked (call inside a transaction)."""
    invite = (
        Invite.objects.select_for_update(of=("self",))
        .select_related("job__company")
        .get(pk=invite_id, freelancer_id=freelancer.pk)
    )
    if invite.state != Invite.State.PENDING:
        raise JobError(f"You already {invite.get_state_display().lower()} this invite.")
    return invite


def invite_connects_price(invite: Invite) -> int:
    """What accepting costs: the job's Connects price for a direct invite; a referral is free."""
    return invite.job.connects_price if invite.source == Invite.Source.DIRECT else 0


def invite_accept(*, invite_id: int, freelancer) -> Proposal:
    """Accept an invite: creates the freelancer's proposal for the job.

    A direct invite costs the job's Connects price, spent through the Connects service (the
    profile row locked after the invite's, the ledger written with it); it is refused when
    the balance is short. An invite that came from a referral costs nothing.
    """
    with transaction.atomic():
        invite = invite_lock_pending(invite_id=invite_id, freelancer=freelancer)
        job = invite.job
        if job.status != Job.Status.OPEN:
            raise JobError("This job is closed: its invites can no longer be accepted.")
        price = invite_connects_price(invite)
        try:
            connects_change(
                user_id=freelancer.pk, change=-price, reason=ConnectsLedgerEntry.Reason.INVITE_ACCEPTED,
                reference=f"invite:{invite.pk}", description=f"Accepted the invite to “{job.title}”",
            )
        except ConnectsError as exc:
            raise JobError(
                f"Accepting this invite costs {price} Connects and you have {exc.balance}. "
                "Get more Connects, then accept again."
            ) from exc
        invite.state = Invite.State.ACCEPTED
        invite.responded_at = timezone.now()
        invite.save(update_fields=["state", "responded_at"])
        try:
            with transaction.atomic():
                proposal = Proposal.objects.create(
                    job=job, freelancer=freelancer, invite=invite, connects_spent=price
                )
        except IntegrityError as exc:
            raise JobError("You already sent a proposal for this job.") from exc
        _log_transition(invite, actor=freelancer, source=Invite.State.PENDING)
        emails.send_invite_accepted(invite)
        invite_answered.send(sender=Invite, invite=invite)
    return proposal


def invite_decline(*, invite_id: int, freelancer, reason: str) -> Invite:
    """Decline a pending invite with a reason; the hiring manager (and referrer) are told."""
    reason = reason.strip()
    if not reason:
        raise JobError("Tell the client why you are declining.")
    with transaction.atomic():
        invite = invite_lock_pending(invite_id=invite_id, freelancer=freelancer)
        invite_mark_declined(invite=invite, reason=reason)
    return invite


def invite_mark_declined(*, invite: Invite, reason: str) -> Invite:
    """Set a locked, pending invite to declined (inside the caller's transaction), notify the
    hiring manager and tell the apps above."""
    invite.state = Invite.State.DECLINED
    invite.decline_reason = reason
    invite.responded_at = timezone.now()
    invite.save(update_fields=["state", "decline_reason", "responded_at"])
    _log_transition(invite, actor=invite.freelancer, source=Invite.State.PENDING)
    emails.send_invite_declined(invite)
    invite_answered.send(sender=Invite, invite=invite)
    return invite


def invite_mark_hired(*, job_id: int, freelancer_id: int) -> int:
    """Record that the freelancer invited to this job was hired for it (an offer accepted)."""
    return Invite.objects.filter(job_id=job_id, freelancer_id=freelancer_id, hired_at__isnull=True).update(
        hired_at=timezone.now()
    )
