"""Writes on approval requests. Each service is atomic, locks the request row, logs the
transition and writes the notifications in the same transaction (emailed after commit).
Who may act is decided by ``approvals.rules``; the services enforce it.
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django_fsm import TransitionNotAllowed, can_proceed

from accounts.logging import actor_label, log_event
from accounts.models import Membership

from . import emails, rules
from .models import ApprovalRequest, ApprovalTransition, State

# How long before expiry the approver is reminded of a pending request.
REMINDER_LEAD = datetime.timedelta(days=1)
# Requests created this recently are not reminded: the new-request email just went out.
REMINDER_MIN_AGE = datetime.timedelta(hours=12)
SWEEP_BATCH_SIZE = 500


class ApprovalError(Exception):
    """A refused action, with a message fit to show the user."""


def approval_request_lock(*, approval_request_id: int) -> ApprovalRequest:
    """Fetch a request with a row lock (call inside transaction.atomic).

    Only the request's row is locked (``of=("self",)``), not its company's: decisions on
    different requests of one company never wait for each other.
    """
    return ApprovalRequest.objects.select_for_update(of=("self",)).select_related("company").get(
        pk=approval_request_id
    )


def _apply(approval_request: ApprovalRequest, name: str, *, actor, comment: str = "", **kwargs):
    """Run one FSM transition on a locked request, save it and record it in the audit trail."""
    method = getattr(approval_request, name)
    source = approval_request.state
    if not can_proceed(method):
        raise ApprovalError(_refusal_message(approval_request, name))
    try:
        method(**kwargs)
    except TransitionNotAllowed as exc:  # conditions changed under us
        raise ApprovalError(_refusal_message(approval_request, name)) from exc
    approval_request.save()
    ApprovalTransition.objects.create(
        request=approval_request,
        actor=actor,
        name=name,
        source_state=source,
        target_state=approval_request.state,
        comment=comment,
    )
    _log_transition(approval_request, actor=actor, source=source)
    return approval_request


def _log_transition(approval_request: ApprovalRequest, *, actor, source: str) -> None:
    log_event(
        "approval.transition", object=f"approval_request:{approval_request.pk}", actor=actor_label(actor),
        **{"from": source or "none", "to": approval_request.state}, outcome="ok",
    )


def _refusal_message(approval_request: ApprovalRequest, name: str) -> str:
    return rules.state_refusal(approval_request, _PAST_TENSE.get(name, name))


_PAST_TENSE = {
    "approve": "approved",
    "decline": "declined",
    "consume": "used for an offer",
    "release": "released",
    "expire": "expired",
}


def approval_request_consume(*, approval_request: ApprovalRequest, actor) -> ApprovalRequest:
    """Mark an approved request as used by an offer (approved → consumed).

    The caller holds the transaction and has locked the row with approval_request_lock, so
    two offers racing for one approval serialise here and the second sees it consumed.
    """
    refusal = rules.can_use_for_offer(actor, approval_request)
    if refusal:
        raise ApprovalError(refusal)
    return _apply(approval_request, "consume", actor=actor, comment="Used for an offer.")


def approval_request_release(
    *, approval_request: ApprovalRequest, actor, comment: str
) -> ApprovalRequest:
    """Free a consumed request when its offer is withdrawn or declined (consumed → approved).

    If the approval's validity has run out meanwhile, it expires instead, and the requester
    is told by the expiry notification.
    """
    if approval_request.is_past_expiry:
        _apply(
            approval_request, "expire", actor=actor,
            comment=f"{comment} The approval's validity had ended, so it expired.".strip(),
        )
        emails.send_expired(approval_request)
        return approval_request
    return _apply(approval_request, "release", actor=actor, comment=comment)



# Creating

def approval_request_create(
    *,
    requester,
    approver,
    title: str,
    amount: Decimal,
    start_date: datetime.date,
    offer_type: str = "direct",
    contract_type: str = "hourly",
    currency: str = "USD",
    weekly_hour_limit: int | None = None,
    job=None,
    freelancer=None,
    freelancer_name: str = "",
    freelancer_email: str = "",
    justification: str = "",
    resubmission_of: ApprovalRequest | None = None,
) -> ApprovalRequest:
    """A hiring manager asks an approver of their company to approve one offer.

    Rules: the requester is a hiring manager of a company with approvals enabled; the
    approver holds the approver role in the same company and is not the requester; the job
    (if any) is the company's own; a resubmission links to the requester's own declined or
    expired request. The decision window starts now (Company.decision_window_days). The
    approver is notified.

    A request with exactly the terms of one of the requester's pending requests to the same
    approver is refused (a double-clicked submit, or asking twice): the approver would get
    the same question twice. The justification is not a term and is not compared.
    """
    refusal = rules.can_create_request(requester)
    if refusal:
        raise ApprovalError(refusal)
    membership = requester.membership_or_none
    company = membership.company
    approver_membership = approver.membership_or_none
    if (
        approver_membership is None
        or approver_membership.company_id != company.pk
        or not approver_membership.is_approver
    ):
        raise ApprovalError("Choose an approver of your company.")
    if approver.pk == requester.pk:
        raise ApprovalError("You cannot approve your own request: choose another approver.")
    if job is not None and job.company_id != company.pk:
        raise ApprovalError("Choose one of your company's job posts.")
    if resubmission_of is not None:
        # Its state as stored now, not as the caller last read it.
        refusal = rules.can_resubmit(requester, ApprovalRequest.objects.get(pk=resubmission_of.pk))
        if refusal:
            raise ApprovalError(refusal)
    if freelancer is None and not freelancer_email:
        raise ApprovalError("Name the freelancer the offer is for.")
    title = title or (job.title if job else "")
    freelancer_name = freelancer_name if freelancer is None else ""
    freelancer_email = freelancer_email if freelancer is None else ""
    weekly_hour_limit = weekly_hour_limit if contract_type == "hourly" else None
    now = timezone.now()
    with transaction.atomic():
        # Creates by one requester run one at a time, so a double-clicked submit (two POSTs at
        # once) cannot slip two identical requests past the check below.
        Membership.objects.select_for_update().filter(pk=membership.pk).first()
        duplicate = ApprovalRequest.objects.filter(
            requester_id=requester.pk, approver_id=approver.pk, state=State.PENDING,
            expires_at__gt=now, job=job, title=title, freelancer=freelancer,
            freelancer_email=freelancer_email, offer_type=offer_type, contract_type=contract_type,
            amount=amount, currency=currency, weekly_hour_limit=weekly_hour_limit,
            start_date=start_date,
        ).first()
        if duplicate is not None:
            raise ApprovalError(
                f"You already asked {approver} to approve exactly these terms: request "
                f"#{duplicate.pk} is pending. Open it from Approvals, or change the terms."
            )
        approval_request = ApprovalRequest.objects.create(
            company=company,
            requester=requester,
            approver=approver,
            job=job,
            title=title,
            freelancer=freelancer,
            freelancer_name=freelancer_name,
            freelancer_email=freelancer_email,
            offer_type=offer_type,
            contract_type=contract_type,
            amount=amount,
            currency=currency,
            weekly_hour_limit=weekly_hour_limit,
            start_date=start_date,
            justification=justification,
            resubmission_of=resubmission_of,
            expires_at=now + datetime.timedelta(days=company.decision_window_days),
        )
        ApprovalTransition.objects.create(
            request=approval_request, actor=requester, name="create", source_state="",
            target_state=State.PENDING,
            comment=f"Resubmission of request #{resubmission_of.pk}." if resubmission_of else "",
        )
        _log_transition(approval_request, actor=requester, source="")
        emails.send_new_request(approval_request)
    return approval_request


# Deciding

def _check_can_decide(approval_request: ApprovalRequest, actor) -> None:
    refusal = rules.can_decide(actor, approval_request)
    if refusal:
        raise ApprovalError(refusal)


def approval_request_approve(
    *, approval_request_id: int, actor, comment: str = ""
) -> ApprovalRequest:
    """The approver approves a pending request (pending → approved).

    The approval is then usable for the company's validity window
    (Company.approval_validity_days from now). Refused after the decision window has passed.
    The requester is notified.
    """
    with transaction.atomic():
        approval_request = approval_request_lock(approval_request_id=approval_request_id)
        _check_can_decide(approval_request, actor)
        valid_until = timezone.now() + datetime.timedelta(
            days=approval_request.company.approval_validity_days
        )
        approval_request.decision_comment = comment.strip()
        _apply(
            approval_request, "approve", actor=actor, comment=comment.strip(),
            valid_until=valid_until,
        )
        emails.send_decision(approval_request)
    return approval_request


def approval_request_decline(
    *, approval_request_id: int, actor, comment: str = ""
) -> ApprovalRequest:
    """The approver declines a pending request (pending → declined). Final.

    The comment is optional; the requester sees it on the request page and in the decision
    notification.
    """
    with transaction.atomic():
        approval_request = approval_request_lock(approval_request_id=approval_request_id)
        _check_can_decide(approval_request, actor)
        approval_request.decision_comment = comment.strip()
        _apply(approval_request, "decline", actor=actor, comment=comment.strip())
        emails.send_decision(approval_request)
    return approval_request


def approval_request_decide(
    *, approval_request_id: int, actor, decision: str, comment: str = ""
) -> ApprovalRequest:
    """Approve or decline, by name (the request page and the one-click links post this)."""
    if decision == "approve":
        return approval_request_approve(
            approval_request_id=approval_request_id, actor=actor, comment=comment
        )
    if decision == "decline":
        return approval_request_decline(
            approval_request_id=approval_request_id, actor=actor, comment=comment
        )
    raise ApprovalError("Choose Approve or Decline.")


# Expiry

def approval_request_expire(*, approval_request_id: int, actor=None) -> ApprovalRequest:
    """Expire one pending or approved request whose expires_at has passed (admin action).

    Refused while the request is still within its window. The requester is notified.
    """
    with transaction.atomic():
        approval_request = approval_request_lock(approval_request_id=approval_request_id)
        if approval_request.state == State.CONSUMED:
            raise ApprovalError("This approval is used by an offer: it expires only when released.")
        _apply(approval_request, "expire", actor=actor, comment=_expiry_comment(approval_request.state))
        emails.send_expired(approval_request)
    return approval_request


def _expiry_comment(source_state: str) -> str:
    if source_state == State.PENDING:
        return "Not decided within the decision window."
    return "The approval was not used within its validity."


def approval_requests_expire_stale(*, batch_size: int = SWEEP_BATCH_SIZE) -> int:
    """The beat sweep: expire pending requests past their decision window and approvals
    unused past their validity. Returns how many requests it expired.

    Set-based: per batch, one SELECT ... FOR UPDATE SKIP LOCKED picks the rows, one UPDATE
    expires them and one INSERT logs every transition; each requester is notified in the same
    transaction. A row locked by a decision in flight is skipped: the decision then
    either wins (it was within the window) or is refused, so each request changes state once.
    Consumed requests are left alone: their offer is live; they expire on release.
    """
    total = 0
    while True:
        with transaction.atomic():
            now = timezone.now()
            rows = list(
                ApprovalRequest.objects.filter(
                    state__in=[State.PENDING, State.APPROVED], expires_at__lte=now
                )
                .order_by("expires_at", "id")
                .select_for_update(skip_locked=True)
                .values_list("id", "state")[:batch_size]
            )
            if not rows:
                return total
            ids = [pk for pk, _ in rows]
            ApprovalRequest.objects.filter(pk__in=ids).update(
                state=State.EXPIRED, expired_at=now, updated_at=now
            )
            ApprovalTransition.objects.bulk_create([
                ApprovalTransition(
                    request_id=pk, actor=None, name="expire", source_state=state,
                    target_state=State.EXPIRED, comment=_expiry_comment(state), created_at=now,
                )
                for pk, state in rows
            ])
            emails.send_expired_to_each(_with_people(ids))
        total += len(ids)
        if len(ids) < batch_size:
            return total


def approval_requests_mark_for_reminder() -> list[int]:
    """The hourly reminder scan: pending requests expiring within a day whose approver has
    not been reminded yet. Marks them (one UPDATE) and notifies each approver.

    Each request is reminded once. Requests created in the last 12 hours are skipped (a
    one-day decision window would otherwise remind right after the new-request email).
    """
    with transaction.atomic():
        now = timezone.now()
        ids = list(
            ApprovalRequest.objects.filter(
                state=State.PENDING,
                reminded_at__isnull=True,
                expires_at__gt=now,
                expires_at__lte=now + REMINDER_LEAD,
                created_at__lte=now - REMINDER_MIN_AGE,
            )
            .select_for_update(skip_locked=True)
            .values_list("id", flat=True)
        )
        if ids:
            ApprovalRequest.objects.filter(pk__in=ids).update(reminded_at=now)
            emails.send_reminder_to_each(_with_people(ids))
    return ids


def _with_people(ids: list[int]):
    """The requests with what their notifications name, in one query."""
    return ApprovalRequest.objects.filter(pk__in=ids).select_related(
        "company", "requester", "approver", "freelancer", "job", "resubmission_of"
    ).order_by("id")
