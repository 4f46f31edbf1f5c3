"""Signed one-click decision links.

A token carries the request id, the approver's id, the action and the request's expiry at
signing time, signed with Django's signing module under its own salt. It is valid while the
request is pending, the approver is unchanged and its ``expires_at`` has not passed. Checking
a token never changes anything; the view acts only on POST.
"""

from dataclasses import dataclass

from django.core import signing
from django.utils import timezone

from .models import ApprovalRequest, State

SALT = "greenlight.approvals.one-click-decision"
ACTIONS = ("approve", "decline")


def make_decision_token(*, approval_request: ApprovalRequest, action: str) -> str:
    if action not in ACTIONS:
        raise ValueError(f"Unknown action {action!r}")
    payload = {
        "r": approval_request.pk,
        "u": approval_request.approver_id,
        "a": action,
        "e": int(approval_request.expires_at.timestamp()),
    }
    return signing.dumps(payload, salt=SALT, compress=False)


@dataclass
class TokenCheck:
    """What a link is worth. ``status`` is one of:

    ok (usable), invalid (tampered or malformed), expired (past the request's expiry),
    used (the request is no longer pending: decided, expired or used).
    ``approval_request`` is set whenever the signature is genuine, so the page can show the
    request's current state; a tampered link shows nothing about any request.
    """

    status: str
    action: str = ""
    approval_request: ApprovalRequest | None = None
    approver_id: int | None = None

    @property
    def ok(self) -> bool:
        return self.status == "ok"


def check_decision_token(token: str) -> TokenCheck:
    try:
        payload = signing.loads(token, salt=SALT)
        request_id = int(payload["r"])
        approver_id = int(payload["u"])
        action = str(payload["a"])
        expires = int(payload["e"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return TokenCheck(status="invalid")
    if action not in ACTIONS:
        return TokenCheck(status="invalid")
    approval_request = (
        ApprovalRequest.objects.select_related(
            "company", "requester", "approver", "freelancer", "job"
        )
        .filter(pk=request_id, approver_id=approver_id)
        .first()
    )
    if approval_request is None:
        return TokenCheck(status="invalid")
    check = TokenCheck(
        status="ok", action=action, approval_request=approval_request, approver_id=approver_id
    )
    if approval_request.state != State.PENDING:
        check.status = "used"
    elif timezone.now().timestamp() >= expires or approval_request.is_past_expiry:
        check.status = "expired"
    return check
