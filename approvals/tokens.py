"""Signed one-click decision links.

A token carries the request id, the step's id, the approver's id, the action and the
request's expiry at signing time, signed with Django's signing module under its own salt. It
is valid while the request is pending, that approver of that step has not decided, the step is
the active one and the request's ``expires_at`` has not passed. Checking a token never changes
anything; the view acts only on POST. Links signed before chains existed carry no step: they
stand for the approver's one step on the request.
"""

from dataclasses import dataclass

from django.core import signing
from django.utils import timezone

from .models import ApprovalRequest, Decision, State, StepApprover, StepState

SALT = "greenlight.approvals.one-click-decision"
ACTIONS = ("approve", "decline")


def make_decision_token(
    *, approval_request: ApprovalRequest, action: str, seat: StepApprover | None = None,
    decider=None,
) -> str:
    """A link for ``seat`` (one approver of one step of the request) to take ``action``;
    without a seat, the chosen approver's seat on the request. ``decider`` is the delegate who
    holds the link when the seat's approver is away (the link then acts as the delegate, on
    behalf of the approver, and only while the delegation stands)."""
    if action not in ACTIONS:
        raise ValueError(f"Unknown action {action!r}")
    if seat is None:
        seat = StepApprover.objects.filter(
            request_id=approval_request.pk, approver_id=approval_request.approver_id
        ).order_by("step__position").first()
    payload = {
        "r": approval_request.pk,
        "s": seat.step_id,
        "u": decider.pk if decider is not None else seat.approver_id,
        "a": action,
        "e": int(approval_request.expires_at.timestamp()),
    }
    if decider is not None:
        payload["b"] = seat.approver_id
    return signing.dumps(payload, salt=SALT, compress=False)


@dataclass
class TokenCheck:
    """What a link is worth. ``status`` is one of:

    ok (usable), invalid (tampered or malformed), expired (past the request's expiry),
    used (the request is no longer pending: decided, expired or used; or this approver's step
    no longer waits for them: they decided, or the step's rule was met by others),
    early (their step is not reached yet), moved (staff gave this decision to someone else).
    ``approval_request`` is set whenever the signature is genuine, so the page can show the
    request's current state; a tampered link shows nothing about any request.
    """

    status: str
    action: str = ""
    approval_request: ApprovalRequest | None = None
    approver_id: int | None = None
    seat: StepApprover | None = None

    @property
    def ok(self) -> bool:
        return self.status == "ok"


@dataclass(frozen=True)
class DecisionLink:
    """What a genuine link says, read from its signature alone (no query): the request, the
    step (None on links signed before chains), the person it was sent to, the approver whose
    seat it is (the same, unless it went to their delegate), the action and the expiry."""

    request_id: int
    step_id: int | None
    approver_id: int
    seat_approver_id: int
    action: str
    expires: int

    @property
    def seat(self) -> tuple[int, int] | None:
        """(step id, approver id) of the seat it decides, for the decision service."""
        return None if self.step_id is None else (self.step_id, self.seat_approver_id)

    @property
    def is_past_expiry(self) -> bool:
        return timezone.now().timestamp() >= self.expires


def read_decision_token(token: str) -> DecisionLink | None:
    """The link's payload if its signature is genuine and it is well formed, else None."""
    try:
        payload = signing.loads(token, salt=SALT)
        approver_id = int(payload["u"])
        link = DecisionLink(
            request_id=int(payload["r"]),
            step_id=int(payload["s"]) if "s" in payload else None,
            approver_id=approver_id,
            seat_approver_id=int(payload["b"]) if "b" in payload else approver_id,
            action=str(payload["a"]),
            expires=int(payload["e"]),
        )
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    return link if link.action in ACTIONS else None


def check_decision_token(token: str) -> TokenCheck:
    link = read_decision_token(token)
    if link is None:
        return TokenCheck(status="invalid")
    request_id, approver_id, action = link.request_id, link.approver_id, link.action
    step_id = link.step_id
    on_behalf_of = link.seat_approver_id if link.seat_approver_id != approver_id else None
    seats = StepApprover.objects.filter(request_id=request_id, approver_id=on_behalf_of or approver_id)
    if step_id is not None:
        seats = seats.filter(step_id=step_id)
    # The seat and its request in one read (what the page and the decision name).
    seat = seats.select_related(
        "step", "request__company", "request__requester", "request__freelancer", "request__job"
    ).order_by("step__position").first()
    if seat is None:
        step_seats = StepApprover.objects.filter(request_id=request_id, step_id=step_id)
        if step_id is not None and step_seats.exists():
            # A genuine link whose decision staff moved to someone else.
            moved = ApprovalRequest.objects.select_related("company", "requester").get(pk=request_id)
            return TokenCheck(status="moved", action=action, approval_request=moved, approver_id=approver_id)
        return TokenCheck(status="invalid")
    approval_request = seat.request
    check = TokenCheck(
        status="ok", action=action, approval_request=approval_request, approver_id=approver_id,
        seat=seat,
    )
    if approval_request.state != State.PENDING:
        check.status = "used"
    elif link.is_past_expiry or approval_request.is_past_expiry:
        check.status = "expired"
    elif seat.decision != Decision.PENDING or seat.step.state in (StepState.PASSED, StepState.DECLINED):
        check.status = "used"
    elif seat.step.state == StepState.WAITING:
        check.status = "early"
    return check
