"""Who may do what with approval requests: each rule once, as ``can_<verb>(user, ...)``
returning the refusal to show, or None when the user may. Services enforce them; views and
templates use them to decide what to show."""

from .models import ApprovalRequest, Decision, State, StepApprover, StepState

# The final states a requester may copy into a new request.
RESUBMITTABLE_STATES = (State.DECLINED, State.EXPIRED, State.CANCELLED)


def state_refusal(approval_request: ApprovalRequest, done: str) -> str:
    """Why a request in its current state cannot be ``done`` ("approved", "used for an offer")."""
    if approval_request.state in (State.PENDING, State.APPROVED, State.CONSUMED) and (
        approval_request.is_past_expiry
    ):
        return "This request has expired."
    state = approval_request.get_state_display().lower()
    return f"This request is {state}: it cannot be {done} now."


def can_use_approvals(user) -> str | None:
    """See the approvals pages: a hiring manager or an approver of a company with approvals on."""
    membership = user.membership_or_none
    if membership is None:
        return "Approvals are for members of a client company."
    company = membership.company
    if not company.approvals_enabled:
        return (
            f"Approvals are not enabled for {company.name}. "
            "Offers are sent without approval; ask your company admin if that should change."
        )
    if not (membership.is_hiring_manager or membership.is_approver):
        return (
            f"You are neither a hiring manager nor an approver at {company.name}, "
            "so you have no approval requests. Ask your company admin for a role."
        )
    return None


def can_create_request(user) -> str | None:
    """Ask for approval: a hiring manager of a company with approvals enabled."""
    membership = user.membership_or_none
    if membership is not None and not membership.company.approvals_enabled:
        return can_use_approvals(user)
    if membership is None or not membership.is_hiring_manager:
        return "Only hiring managers can create approval requests. Ask your company admin for the role."
    return None


def can_resubmit(user, approval_request: ApprovalRequest) -> str | None:
    """Copy a request into a new one: the requester's own declined, expired or cancelled request."""
    if approval_request.requester_id != user.pk or approval_request.state not in RESUBMITTABLE_STATES:
        return "Only your own declined, expired or cancelled requests can be resubmitted."
    return None


def can_use_for_offer(user, approval_request: ApprovalRequest) -> str | None:
    """Back an offer: the requester's own approved request, within its validity."""
    if approval_request.requester_id != user.pk:
        return "Only the hiring manager who requested this approval can use it."
    if approval_request.state != State.APPROVED or approval_request.is_past_expiry:
        return state_refusal(approval_request, "used for an offer")
    return None


def can_cancel(user, approval_request: ApprovalRequest) -> str | None:
    """Cancel: the requester's own request, while it is pending and within its decision window."""
    if user is None or approval_request.requester_id != user.pk:
        return "Only the hiring manager who made this request can cancel it."
    if approval_request.state != State.PENDING or approval_request.is_past_expiry:
        return state_refusal(approval_request, "cancelled")
    return None


def can_decide(user, approval_request: ApprovalRequest) -> str | None:
    """Approve or decline: an approver of the request's active step who has not decided yet,
    or, while that approver is out of office, the delegate their decision goes to
    (approvals.delegation); active and still an approver of its company, never its requester;
    and only while the request is pending and not past expiry. Approvers of a later step may
    open the request but not decide it before their step is reached."""
    if user is None or user.pk == approval_request.requester_id:
        return "You cannot decide your own request."
    seats = [seat for seat in seats_of(approval_request) if seat.approver_id == user.pk]
    own_turn = any(is_open(seat) for seat in seats)
    delegated = [] if own_turn else delegated_seats(user, approval_request)
    if not seats and not delegated:
        return "Only the approvers of this request (or their delegates while they are away) can decide it."
    if not user.is_active:
        return "This account is deactivated: it cannot decide requests."
    membership = user.membership_or_none
    if (
        membership is None
        or membership.company_id != approval_request.company_id
        or not membership.is_approver
    ):
        return "You no longer hold the approver role at this company."
    if approval_request.state != State.PENDING or approval_request.is_past_expiry:
        return state_refusal(approval_request, "decided")
    if own_turn or delegated:
        return None
    seat = seats[-1]
    if seat.decision in (Decision.APPROVED, Decision.DECLINED):
        return f"You already {seat.get_decision_display().lower()} this request."
    if seat.step.state == StepState.WAITING:
        active = next(
            (step for step in steps_of(approval_request) if step.state == StepState.ACTIVE), None
        )
        current = f" The request is at the step “{active.name}”." if active else ""
        return (
            f"Your step “{seat.step.name}” comes later: you can decide once the steps before it "
            f"are approved.{current}"
        )
    return f"The step “{seat.step.name}” was already approved: your decision is no longer needed."


def is_open(seat) -> bool:
    """The seat's approver is asked now: undecided, on the active step."""
    return seat.decision == Decision.PENDING and seat.step.state == StepState.ACTIVE


def delegated_seats(user, approval_request: ApprovalRequest) -> list:
    """The undecided seats of the active step whose approver is away and whose decision now
    goes to ``user`` (two queries when the company has periods on, else one)."""
    from .delegation import Resolver

    open_seats = [
        seat for seat in seats_of(approval_request) if is_open(seat) and seat.approver_id != user.pk
    ]
    if not open_seats:
        return []
    resolver = Resolver(approval_request.company_id)
    return [
        seat for seat in open_seats
        if resolver.decider(seat.approver_id, requester_id=approval_request.requester_id) == user.pk
    ]


def steps_of(approval_request: ApprovalRequest) -> list:
    """The request's chain, in order (prefetched ``steps`` when the caller has them)."""
    return sorted(approval_request.steps.all(), key=lambda step: step.position)


def seats_of(approval_request: ApprovalRequest) -> list:
    """Every approver of every step of the request, with their step, in chain order; from the
    prefetched ``steps__approvers`` when the caller has them, else one query."""
    cache = getattr(approval_request, "_prefetched_objects_cache", {})
    if "steps" in cache:
        return [seat for step in steps_of(approval_request) for seat in step.approvers.all()]
    return list(
        StepApprover.objects.filter(request_id=approval_request.pk)
        .select_related("step")
        .order_by("step__position", "id")
    )
