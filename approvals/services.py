"""Writes on approval requests. Each service is atomic, locks the request row, logs the
transition and enqueues email only after the transaction commits."""

from django_fsm import TransitionNotAllowed, can_proceed

from .models import ApprovalRequest, ApprovalTransition, State


class ApprovalError(Exception):
    """A refused action, with a message fit to show the user."""


def approval_request_lock(*, approval_request_id: int) -> ApprovalRequest:
    """Fetch a request with a row lock (call inside transaction.atomic)."""
    return ApprovalRequest.objects.select_for_update().select_related("company").get(
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
    return approval_request


def _refusal_message(approval_request: ApprovalRequest, name: str) -> str:
    if approval_request.state in (State.PENDING, State.APPROVED, State.CONSUMED) and (
        approval_request.is_past_expiry
    ):
        return "This request has expired."
    state = approval_request.get_state_display().lower()
    return f"This request is {state}: it cannot be {_PAST_TENSE.get(name, name)} now."


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
    if approval_request.requester_id != actor.pk:
        raise ApprovalError("Only the hiring manager who requested this approval can use it.")
    return _apply(approval_request, "consume", actor=actor, comment="Used for an offer.")


def approval_request_release(
    *, approval_request: ApprovalRequest, actor, comment: str
) -> ApprovalRequest:
    """Free a consumed request when its offer is withdrawn or declined (consumed → approved).

    If the approval's validity has run out meanwhile, it expires instead.
    """
    if approval_request.is_past_expiry:
        return _apply(
            approval_request, "expire", actor=actor,
            comment=f"{comment} The approval's validity had ended, so it expired.".strip(),
        )
    return _apply(approval_request, "release", actor=actor, comment=comment)

