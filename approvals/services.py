"""Writes on approval requests. Each service is atomic, locks the request row, logs the
transition and writes the notifications in the same transaction (emailed after commit).
Who may act is decided by ``approvals.rules``; the services enforce it.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import F, Q, prefetch_related_objects
from django.utils import timezone
from django_fsm import TransitionNotAllowed, can_proceed

from accounts.logging import actor_label, log_event
from accounts.models import Membership, User
from jobs.terms import OfferType

from . import bulk, delegation, emails, policies, rules, selectors
from .models import (
    ApprovalPolicy,
    ApprovalRequest,
    ApprovalTransition,
    Decision,
    RequestStep,
    State,
    StepApprover,
    StepState,
)

# How long before expiry the approver is reminded of a pending request.
REMINDER_LEAD = datetime.timedelta(days=1)
# Requests created this recently are not reminded: the new-request email just went out.
REMINDER_MIN_AGE = datetime.timedelta(hours=12)
# Requests per sweep transaction. Since each batch also writes its notification rows, fewer,
# larger batches measured cheaper (100,000 stale rows in 4 statements: 1.38x the raw SQL
# floor, against 1.79x in 20 batches of 5,000, same run). One batch then holds its row locks
# for one to two seconds: only stale rows, whose decisions are refused anyway, so the cost is
# a refusal arriving that much later; a crash redoes one batch.
SWEEP_BATCH_SIZE = 25_000
# Requests one bulk decision may name: a dashboard page (20) with room to spare, and few
# enough that the one-by-one decisions finish within a request's time.
BULK_DECISION_LIMIT = 50


class ApprovalError(Exception):
    """A refused action, with a message fit to show the user."""


class NotVisible(Exception):
    """The request does not exist or the actor may not see it: the page answers 404, naming
    nothing (only raised to a caller that asked, with ``must_see``)."""


def approval_request_lock(*, approval_request_id: int) -> ApprovalRequest:
    """Fetch a request with a row lock (call inside transaction.atomic).

    Only the request's row is locked (``of=("self",)``), not its company's: decisions on
    different requests of one company never wait for each other.
    """
    return ApprovalRequest.objects.select_for_update(of=("self",)).select_related(
        # What the decision's notifications and messages name (joined, not locked).
        "company", "requester", "freelancer", "job", "resubmission_of",
    ).get(pk=approval_request_id)


def _apply(
    approval_request: ApprovalRequest, name: str, *, actor, comment: str = "", step_name: str = "",
    on_behalf_of=None, **kwargs,
):
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
    _audit(approval_request, actor=actor, name=name, source=source, comment=comment,
           step_name=step_name, on_behalf_of=on_behalf_of)
    return approval_request


def _audit(
    approval_request: ApprovalRequest, *, actor, name: str, source: str, comment: str = "",
    step_name: str = "", on_behalf_of=None,
) -> ApprovalTransition:
    """One audit entry: a change of the request's state, or a decision within a step (the
    state then stays pending)."""
    entry = ApprovalTransition.objects.create(
        request=approval_request, actor=actor, name=name, source_state=source,
        target_state=approval_request.state, comment=comment, step_name=step_name,
        on_behalf_of=on_behalf_of,
    )
    _log_transition(approval_request, actor=actor, source=source)
    return entry


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
    "cancel": "cancelled",
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
    approver=None,
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
    """A hiring manager asks for approval of one offer, under their company's policy.

    Rules: the requester is a hiring manager of a company with approvals enabled whose policy
    covers this offer type; the job (if any) is the company's own; a resubmission links to the
    requester's own declined, expired or cancelled request. The chain is planned from the policy as it
    stands now (approvals.policies.plan_chain) and copied onto the request: every step, with its
    eligible approvers (never the requester), skipped steps included with the reason. A step
    that cannot be satisfied refuses the request, naming the step. ``approver`` is the
    requester's pick for a step "chosen by the requester" (the default policy's one step).

    The decision window starts now (Company.decision_window_days). The first step that applies
    becomes active and its approvers are notified.

    A request with exactly the terms of one of the requester's pending requests (and the same
    chosen approver) is refused (a double-clicked submit, or asking twice): the approvers would
    get the same question twice. The justification is not a term and is not compared.
    """
    refusal = rules.can_create_request(requester)
    if refusal:
        raise ApprovalError(refusal)
    membership = requester.membership_or_none
    company = membership.company
    policy = policies.policy_for(company)
    if not policy.covers(offer_type):
        raise ApprovalError(
            f"{OfferType(offer_type).label} offers at {company.name} are sent without approval: "
            "send the offer directly."
        )
    if not policy.has_chosen_step:
        approver = None  # nobody is chosen: the policy names every approver
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
        try:
            planned = policies.plan_chain(
                policy=policy, company_id=company.pk, requester=requester, chosen_approver=approver,
                contract_type=contract_type, amount=amount, currency=currency,
            )
        except policies.PolicyError as exc:
            raise ApprovalError(str(exc)) from exc
        chosen_applies = any(
            step.spec.chosen_by_requester and step.state != StepState.SKIPPED for step in planned
        )
        approver = approver if chosen_applies else None
        duplicate = ApprovalRequest.objects.filter(
            requester_id=requester.pk, approver=approver, state=State.PENDING,
            expires_at__gt=now, job=job, title=title, freelancer=freelancer,
            freelancer_email=freelancer_email, offer_type=offer_type, contract_type=contract_type,
            amount=amount, currency=currency, weekly_hour_limit=weekly_hour_limit,
            start_date=start_date,
        ).first()
        if duplicate is not None:
            asked = f"You already asked {approver}" if approver else "You already asked"
            raise ApprovalError(
                f"{asked} to approve exactly these terms: request "
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
        first = _record_chain(approval_request, planned, now=now)
        _audit(
            approval_request, actor=requester, name="create", source="",
            comment=f"Resubmission of request #{resubmission_of.pk}." if resubmission_of else "",
        )
        emails.send_step_activated(approval_request, first)
    return approval_request


def approval_request_record_chain(approval_request: ApprovalRequest, *, chosen_approver=None) -> RequestStep:
    """Plan the chain of an existing request from its company's policy and record it; returns
    the active step (for data made outside approval_request_create: the demo, benchmarks)."""
    planned = policies.plan_chain(
        policy=policies.policy_for(approval_request.company_id), company_id=approval_request.company_id,
        requester=approval_request.requester, chosen_approver=chosen_approver,
        contract_type=approval_request.contract_type, amount=approval_request.amount,
        currency=approval_request.currency,
    )
    return _record_chain(approval_request, planned, now=approval_request.created_at)


def _record_chain(approval_request: ApprovalRequest, planned, *, now) -> RequestStep:
    """Copy the planned chain onto the request (two INSERTs); the first step that applies is
    made active. Returns that step."""
    steps = RequestStep.objects.bulk_create([
        RequestStep(
            request=approval_request, position=index, name=step.spec.name, rule=step.spec.rule,
            required_count=step.required_count, chosen_by_requester=step.spec.chosen_by_requester,
            condition=step.condition, condition_outcome=step.condition_outcome, state=step.state,
        )
        for index, step in enumerate(planned, start=1)
    ])
    first = next(step for step in steps if step.state != StepState.SKIPPED)
    first.state, first.activated_at = StepState.ACTIVE, now
    first.save(update_fields=["state", "activated_at"])
    StepApprover.objects.bulk_create([
        StepApprover(
            step=step, request=approval_request, approver=user,
            decision=Decision.NOT_NEEDED if step.state == StepState.SKIPPED else Decision.PENDING,
        )
        for step, plan in zip(steps, planned, strict=True)
        for user in plan.approvers
    ])
    return first


# Deciding

# The seat a caller named (an email link's) is no longer open to the actor: decided, passed, not
# reached yet, or moved to someone else. The link's page says which.
SEAT_GONE = "This decision is no longer open to you."


def _check_can_decide(approval_request: ApprovalRequest, actor) -> None:
    refusal = rules.can_decide(actor, approval_request)
    if refusal:
        raise ApprovalError(refusal)


def approval_request_approve(
    *, approval_request_id: int, actor, comment: str = "", must_see: bool = False,
    seat: tuple[int, int] | None = None,
) -> ApprovalRequest:
    """An approver of the active step approves.

    When that meets the step's rule, the step passes (its other approvers are no longer
    needed) and the next step that applies becomes active and its approvers are notified; the
    requester sees the step pass in their inbox. When the last step passes, the request is
    approved (pending → approved) and usable for the company's validity window
    (Company.approval_validity_days from now); the requester is emailed. Every approval is one
    audit entry. Refused after the decision window has passed.

    ``must_see``: the caller has not read the request yet (the request page's approval); one
    the actor may not see raises NotVisible, as the page would answer 404, before any rule.
    ``seat``: (step id, approver id) of the one seat the caller acts for (an email link's), which
    must be open and the actor's to decide; any other state of the chain is refused.
    """
    return _decide(
        approval_request_id=approval_request_id, actor=actor, comment=comment, approve=True,
        must_see=must_see, seat=seat,
    )


def approval_request_decline(
    *, approval_request_id: int, actor, comment: str = ""
) -> ApprovalRequest:
    """An approver of the active step declines: the request is declined (pending → declined),
    final, whatever the other steps; every other undecided approver is no longer needed.

    The comment is optional; the requester sees it on the request page and in the decision
    notification.
    """
    return _decide(approval_request_id=approval_request_id, actor=actor, comment=comment, approve=False)


def _decide(
    *, approval_request_id: int, actor, comment: str, approve: bool, must_see: bool = False,
    seat: tuple[int, int] | None = None,
) -> ApprovalRequest:
    comment = comment.strip()
    with transaction.atomic():
        # The request's row lock orders every decision on it, the sweep (SKIP LOCKED) and
        # the offer that uses it: each sees the chain as the previous one left it. So the chain
        # is read once, under the lock, and serves the visibility, the rule, the seat, the
        # step's count, the next step and the notifications; what changes is written and
        # mirrored in memory.
        try:
            approval_request = approval_request_lock(approval_request_id=approval_request_id)
        except ApprovalRequest.DoesNotExist:
            if must_see:
                raise NotVisible from None
            raise
        prefetch_related_objects([approval_request], selectors.chain_prefetch())
        if must_see and not selectors.is_visible_to(actor, approval_request):
            raise NotVisible
        _check_can_decide(approval_request, actor)
        wanted, seat = seat, next(
            (seat for seat in rules.seats_of(approval_request)
             if seat.approver_id == actor.pk and rules.is_open(seat)),
            None,
        )
        on_behalf_of = None
        if seat is None or (wanted is not None and wanted[1] != actor.pk):
            # The actor decides for an approver who is away.
            seat = next(
                (other for other in rules.delegated_seats(actor, approval_request)
                 if wanted is None or other.approver_id == wanted[1]),
                None,
            )
            on_behalf_of = seat.approver if seat is not None else None
        if seat is None or (wanted is not None and (seat.step_id, seat.approver_id) != wanted):
            raise ApprovalError(SEAT_GONE)
        step = seat.step
        now = timezone.now()
        seat.decision = Decision.APPROVED if approve else Decision.DECLINED
        seat.decided_at, seat.comment = now, comment
        seat.decided_by = actor if on_behalf_of else None
        seat.save(update_fields=["decision", "decided_at", "comment", "decided_by"])
        if not approve:
            _close_step(step, StepState.DECLINED, now=now)
            _not_needed(approval_request, now=now)
            approval_request.decision_comment = comment
            approval_request.decided_by_names = _decider_name(seat)[:500]
            _apply(approval_request, "decline", actor=actor, comment=comment, step_name=step.name,
                   on_behalf_of=on_behalf_of)
            emails.send_decision(approval_request)
            return approval_request
        approvals = sum(1 for other in step.approvers.all() if other.decision == Decision.APPROVED)
        if approvals < step.required_count:
            _audit(approval_request, actor=actor, name="approve", source=State.PENDING,
                   comment=comment, step_name=step.name, on_behalf_of=on_behalf_of)
            return approval_request
        _close_step(step, StepState.PASSED, now=now)
        # The step's other undecided approvers are no longer needed; the chain read under the
        # lock says whether there are any (a step of one approver has none: no UPDATE).
        undecided = [other for other in step.approvers.all() if other.decision == Decision.PENDING]
        if undecided:
            StepApprover.objects.filter(step=step, decision=Decision.PENDING).update(
                decision=Decision.NOT_NEEDED
            )
            for other in undecided:
                other.decision = Decision.NOT_NEEDED
        steps = rules.steps_of(approval_request)
        following = next(
            (later for later in steps if later.position > step.position and later.state == StepState.WAITING),
            None,
        )
        if following is not None:
            following.state, following.activated_at = StepState.ACTIVE, now
            following.save(update_fields=["state", "activated_at"])
            _audit(approval_request, actor=actor, name="approve", source=State.PENDING,
                   comment=comment, step_name=step.name, on_behalf_of=on_behalf_of)
            emails.send_step_passed(approval_request, step, following)
            return approval_request
        approval_request.decision_comment = comment
        approval_request.decided_by_names = ", ".join(
            _decider_name(approved)
            for approved in sorted(
                (other for other in rules.seats_of(approval_request) if other.decision == Decision.APPROVED),
                key=lambda other: (other.step.position, other.decided_at, other.pk),
            )
        )[:500]
        _apply(
            approval_request, "approve", actor=actor, comment=comment, step_name=step.name,
            on_behalf_of=on_behalf_of,
            valid_until=now + datetime.timedelta(days=approval_request.company.approval_validity_days),
        )
        emails.send_decision(approval_request)
    return approval_request


def _decider_name(seat: StepApprover) -> str:
    """"Cora Cfo", or "Bea Backup for Cora Cfo" when a delegate decided."""
    if seat.decided_by_id and seat.decided_by_id != seat.approver_id:
        return f"{seat.decided_by} for {seat.approver}"
    return str(seat.approver)


def _close_step(step: RequestStep, state: str, *, now) -> None:
    step.state, step.completed_at = state, now
    step.save(update_fields=["state", "completed_at"])


def _not_needed(approval_request: ApprovalRequest, *, now) -> None:
    """A declined request: nobody else's decision is needed any more."""
    StepApprover.objects.filter(
        request_id=approval_request.pk, decision=Decision.PENDING
    ).update(decision=Decision.NOT_NEEDED)


def step_approver_reassign(*, step_approver_id: int, new_approver, actor, reason: str) -> StepApprover:
    """Staff move one undecided decision of a pending request to another approver.

    The new approver is an active approver of the request's company, not its requester, and
    not already on that step; a reason is required. The seat changes hands (the old approver's
    links stop working and say so); one audit entry records who moved it, from whom, to whom
    and why; both are told in-app, and the new approver gets the request with their own links
    if their step is the active one.
    """
    reason = reason.strip()
    if not reason:
        raise ApprovalError("Say why the decision is moved: both approvers and the audit trail read it.")
    with transaction.atomic():
        request_id = (
            StepApprover.objects.filter(pk=step_approver_id).values_list("request_id", flat=True).first()
        )
        if request_id is None:
            raise ApprovalError("That decision no longer exists.")
        approval_request = approval_request_lock(approval_request_id=request_id)
        seat = StepApprover.objects.select_related("step", "approver").get(pk=step_approver_id)
        if approval_request.state != State.PENDING or approval_request.is_past_expiry:
            raise ApprovalError(rules.state_refusal(approval_request, "reassigned"))
        if seat.decision != Decision.PENDING or seat.step.state not in (StepState.ACTIVE, StepState.WAITING):
            raise ApprovalError(f"{seat.approver} already decided, or their decision is no longer needed.")
        if new_approver.pk == approval_request.requester_id:
            raise ApprovalError("The requester cannot decide their own request.")
        membership = new_approver.membership_or_none
        if (
            not new_approver.is_active or membership is None or not membership.is_approver
            or membership.company_id != approval_request.company_id
        ):
            raise ApprovalError(f"{new_approver} is not an active approver of {approval_request.company}.")
        if StepApprover.objects.filter(step=seat.step, approver=new_approver).exists():
            raise ApprovalError(f"{new_approver} is already an approver of the step “{seat.step.name}”.")
        previous = seat.approver
        seat.approver = new_approver
        seat.save(update_fields=["approver"])
        _audit(
            approval_request, actor=actor, name="reassign", source=State.PENDING,
            step_name=seat.step.name,
            comment=f"Moved from {previous} to {new_approver} by {actor}: {reason}",
        )
        emails.send_reassigned(approval_request, seat, previous=previous, actor=actor, reason=reason)
    return seat


def approval_request_decide(
    *, approval_request_id: int, actor, decision: str, comment: str = ""
) -> ApprovalRequest:
    """Approve or decline, by name (the one-click links and the bulk decisions post this)."""
    if decision == "approve":
        return approval_request_approve(
            approval_request_id=approval_request_id, actor=actor, comment=comment
        )
    if decision == "decline":
        return approval_request_decline(
            approval_request_id=approval_request_id, actor=actor, comment=comment
        )
    raise ApprovalError("Choose Approve or Decline.")


@dataclass(frozen=True)
class BulkRefusal:
    """One request of a bulk decision that was not decided, and why. ``title`` is empty when
    the actor may not see the request: its reason then only says it was not found."""

    approval_request_id: int
    title: str
    reason: str

    def __str__(self) -> str:
        name = f"#{self.approval_request_id} {self.title}" if self.title else f"#{self.approval_request_id}"
        return f"{name}: {self.reason}"


@dataclass
class BulkResult:
    """What approval_requests_decide_many did: the requests decided (as each decision left
    them) and the refusals, both in the order the ids were given."""

    decision: str
    decided: list[ApprovalRequest] = field(default_factory=list)
    refused: list[BulkRefusal] = field(default_factory=list)


BULK_NOT_FOUND = "Not found: it is not one of your requests."


def approval_requests_decide_many(
    *, ids: Iterable[int], actor, decision: str, comment: str = ""
) -> BulkResult:
    """Approve or decline several requests with one comment, each exactly as if decided alone.

    Each id goes through approval_request_decide in its own transaction, under its own row
    lock, one after the other: a refusal (or a race lost) leaves the others decided, and no
    two request locks are ever held together. Call it outside any transaction, or one refusal
    would share a rollback with the decisions around it. A request the actor may not see
    (another company's, or one they neither made nor approve) is refused as not found, without
    its title. At most BULK_DECISION_LIMIT ids; a repeated id counts once.
    """
    ids = list(dict.fromkeys(ids))
    if decision not in ("approve", "decline"):
        raise ApprovalError("Choose Approve or Decline.")
    if not ids:
        raise ApprovalError("Select at least one request to decide.")
    if len(ids) > BULK_DECISION_LIMIT:
        raise ApprovalError(f"Decide at most {BULK_DECISION_LIMIT} requests at once.")
    titles = selectors.approval_request_titles(user=actor, ids=ids)
    result = BulkResult(decision=decision)
    for approval_request_id in ids:
        if approval_request_id not in titles:
            result.refused.append(BulkRefusal(approval_request_id, "", BULK_NOT_FOUND))
            continue
        try:
            result.decided.append(approval_request_decide(
                approval_request_id=approval_request_id, actor=actor, decision=decision,
                comment=comment,
            ))
        except ApprovalError as exc:
            result.refused.append(BulkRefusal(approval_request_id, titles[approval_request_id], str(exc)))
    return result


# Cancelling

def approval_request_cancel(*, approval_request_id: int, actor, reason: str = "") -> ApprovalRequest:
    """The requester cancels their own pending request (pending → cancelled), with an optional
    reason: one audit entry; every undecided approver is no longer needed, and those of the
    active step (the ones who were asked) are told in-app. Their one-click links then show the
    request as cancelled. Final: the requester may resubmit a copy.
    """
    reason = reason.strip()
    with transaction.atomic():
        approval_request = approval_request_lock(approval_request_id=approval_request_id)
        refusal = rules.can_cancel(actor, approval_request)
        if refusal:
            raise ApprovalError(refusal)
        asked = list(
            StepApprover.objects.filter(
                request_id=approval_request.pk, decision=Decision.PENDING, step__state=StepState.ACTIVE
            ).select_related("approver").order_by("id")
        )
        _not_needed(approval_request, now=timezone.now())
        _apply(approval_request, "cancel", actor=actor, comment=reason, reason=reason)
        emails.send_cancelled_to_each(approval_request, [seat.approver for seat in asked])
    return approval_request


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
    return bulk.EXPIRY_COMMENTS[source_state]


def approval_requests_expire_stale(*, batch_size: int = SWEEP_BATCH_SIZE) -> int:
    """The beat sweep: expire pending requests past their decision window and approvals
    unused past their validity, and tell each requester. Returns how many requests it expired.

    Set-based: per batch, in one transaction, the stale rows are picked with FOR UPDATE SKIP
    LOCKED, expired by one UPDATE, logged by one INSERT of transitions and notified by one
    INSERT of notifications (one statement on PostgreSQL: approvals.bulk); after commit their
    delivery is enqueued one task per hundred. A row locked by a decision in flight is skipped:
    the decision then either wins (it was within the window) or is refused, so each request
    changes state once. Consumed requests are left alone: their offer is live; they expire on
    release.
    """
    total = 0
    while True:
        with transaction.atomic():
            expired = bulk.expire_stale_batch(now=timezone.now(), batch_size=batch_size)
        total += expired
        if expired < batch_size:
            return total


# One row per key (user, company, state, awaiting): the rows of each key with more than one,
# or adding up to nothing, are deleted and their sum inserted, in one statement. A row another
# transaction appends meanwhile is outside this snapshot: neither deleted nor added, it stays.
# Rows are never updated, so two compactions at once each delete (and add up) only the rows they
# deleted first.
COUNT_KEY = "user_id, company_id, state, awaiting"
_COMPACT_DASHBOARD_COUNTS = f"""
WITH crowded AS (
    SELECT {COUNT_KEY} FROM approvals_dashboardcount GROUP BY {COUNT_KEY}
    HAVING count(*) > 1 OR sum(n) = 0
), gone AS (
    DELETE FROM approvals_dashboardcount c USING crowded k
    WHERE (c.user_id, c.company_id, c.state, c.awaiting) = (k.user_id, k.company_id, k.state, k.awaiting)
    RETURNING c.user_id, c.company_id, c.state, c.awaiting, c.n
)
INSERT INTO approvals_dashboardcount ({COUNT_KEY}, n)
SELECT {COUNT_KEY}, sum(n) FROM gone GROUP BY {COUNT_KEY} HAVING sum(n) <> 0
"""


def dashboard_counts_compact() -> int:
    """Beat, every minute: fold each person's DashboardCount rows into one per key, so the tab
    counts add up a few rows. Returns how many keys it folded. PostgreSQL only (elsewhere the
    table is empty)."""
    if connection.vendor != "postgresql":
        return 0
    with connection.cursor() as cursor:
        cursor.execute(_COMPACT_DASHBOARD_COUNTS)
        return cursor.rowcount


def approval_steps_escalate_overdue() -> list[int]:
    """The escalation scan: a decision that has waited longer than the company policy's
    ``escalation_days`` since its step became active is escalated once to the policy's
    escalation contacts (in-app and by email, with a link to the request). Returns the steps.

    Set-based, in one transaction: the overdue active steps are picked with FOR UPDATE SKIP
    LOCKED, claimed by one UPDATE of ``escalated_at`` (so each step is escalated once, however
    often the scan runs), and every contact's notification is written by one INSERT. Contacts
    who are no longer active members of the company are left out. Requests past their decision
    window are not escalated: the sweep expires them.
    """
    with transaction.atomic():
        now = timezone.now()
        # One cut-off per distinct number of days in use (a handful): plain comparisons that
        # every database runs and the index on the step serves, rather than date arithmetic.
        overdue = Q()
        for days in ApprovalPolicy.objects.filter(escalation_days__isnull=False).values_list(
            "escalation_days", flat=True
        ).distinct():
            overdue |= Q(
                request__company__approval_policy__escalation_days=days,
                activated_at__lte=now - datetime.timedelta(days=days),
            )
        if not overdue:
            return []
        ids = list(
            RequestStep.objects.filter(
                overdue, state=StepState.ACTIVE, escalated_at__isnull=True,
                request__state=State.PENDING, request__expires_at__gt=now,
            )
            .order_by("activated_at", "id")
            .select_for_update(skip_locked=True, of=("self",))
            .values_list("pk", flat=True)
        )
        if not ids:
            return []
        RequestStep.objects.filter(pk__in=ids).update(escalated_at=now)
        steps = list(
            RequestStep.objects.filter(pk__in=ids).select_related(
                "request__company__approval_policy", "request__requester", "request__freelancer",
                "request__job",
            ).order_by("id")
        )
        waiting: dict[int, list[str]] = {}
        for seat in StepApprover.objects.filter(step_id__in=ids, decision=Decision.PENDING).select_related(
            "approver"
        ).order_by("id"):
            waiting.setdefault(seat.step_id, []).append(str(seat.approver))
        policy_ids = {step.request.company.approval_policy.pk for step in steps}
        contacts: dict[int, list] = {}
        links = ApprovalPolicy.escalation_contacts.through.objects.filter(
            approvalpolicy_id__in=policy_ids, user__is_active=True,
            user__membership__company_id=F("approvalpolicy__company_id"),
        ).select_related("user").order_by("user__full_name", "user__email")
        for link in links:
            contacts.setdefault(link.approvalpolicy_id, []).append(link.user)
        emails.send_escalations([
            emails.escalation_notification(
                step, contact, waiting=waiting.get(step.pk, []),
                days=step.request.company.approval_policy.escalation_days,
            )
            for step in steps
            for contact in contacts.get(step.request.company.approval_policy.pk, [])
        ])
    return ids


def approval_requests_mark_for_reminder() -> list[int]:
    """The hourly reminder scan: pending requests expiring within a day that were not reminded
    yet. Marks them (one UPDATE) and notifies the active step's undecided approvers (one INSERT)
    in one transaction; delivery is enqueued in batches after commit.

    Each request is reminded once. Requests created in the last 12 hours are skipped (a
    one-day decision window would otherwise remind right after the new-request email).
    """
    with transaction.atomic():
        now = timezone.now()
        due = list(
            ApprovalRequest.objects.filter(
                state=State.PENDING,
                reminded_at__isnull=True,
                expires_at__gt=now,
                expires_at__lte=now + REMINDER_LEAD,
                created_at__lte=now - REMINDER_MIN_AGE,
            )
            .select_related("company", "requester", "freelancer", "job", "resubmission_of")
            .order_by("expires_at", "id")
            .select_for_update(skip_locked=True, of=("self",))
        )
        ids = [approval_request.pk for approval_request in due]
        if ids:
            ApprovalRequest.objects.filter(pk__in=ids).update(reminded_at=now)
            # The active step's undecided approvers of each request. Built in Python
            # (emails.reminder_notification) and written by one INSERT: each needs two signed
            # one-click links, which SQL cannot sign, and the set is small (requests expiring
            # within a day, each reminded once).
            by_id = {approval_request.pk: approval_request for approval_request in due}
            seats = list(
                StepApprover.objects.filter(
                    request_id__in=ids, decision=Decision.PENDING, step__state=StepState.ACTIVE
                ).select_related("step", "approver").order_by("request_id", "id")
            )
            resolvers, deciders = {}, {}
            for seat in seats:
                seat.request = by_id[seat.request_id]
                company_id = seat.request.company_id
                resolver = resolvers.setdefault(company_id, delegation.Resolver(company_id, now))
                decider_id = resolver.decider(seat.approver_id, requester_id=seat.request.requester_id)
                if decider_id != seat.approver_id:
                    deciders[seat.pk] = decider_id
            people = User.objects.in_bulk(set(deciders.values()))
            emails.send_reminder_to_each(seats, {seat: people[user] for seat, user in deciders.items()})
    return ids
