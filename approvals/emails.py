"""One function per approval email. Each sends once per key (accounts.mail.send_once)."""

from django.urls import reverse

from accounts.mail import absolute_url, send_once

from .models import ApprovalRequest
from .tokens import make_decision_token


def _context(approval_request: ApprovalRequest, **extra) -> dict:
    return {
        "approval_request": approval_request,
        "detail_url": absolute_url(reverse("approvals:detail", args=[approval_request.pk])),
        **extra,
    }


def _decision_links(approval_request: ApprovalRequest) -> dict:
    return {
        f"{action}_url": absolute_url(
            reverse(
                "approvals:email_decision",
                args=[make_decision_token(approval_request=approval_request, action=action)],
            )
        )
        for action in ("approve", "decline")
    }


def send_new_request(approval_request: ApprovalRequest) -> bool:
    """To the approver: the details and one-click Approve / Decline links."""
    return send_once(
        key=f"approval-new:{approval_request.pk}",
        template="approvals/emails/new-request",
        to=[approval_request.approver.email],
        context=_context(approval_request, **_decision_links(approval_request)),
    )


def send_decision(approval_request: ApprovalRequest) -> bool:
    """To the requester: approved or declined, with the approver's comment and the next step
    as a link (send the offer with this approval, or resubmit the declined request)."""
    return send_once(
        key=f"approval-decision:{approval_request.pk}",
        template="approvals/emails/decision",
        to=[approval_request.requester.email],
        context=_context(
            approval_request,
            resubmit_url=absolute_url(reverse("approvals:resubmit", args=[approval_request.pk])),
            send_offer_url=absolute_url(
                f"{reverse('offers:offer_create')}?approval_request={approval_request.pk}"
            ),
        ),
    )


def send_expired(approval_request: ApprovalRequest) -> bool:
    """To the requester: the request (or the unused approval) expired."""
    return send_once(
        key=f"approval-expired:{approval_request.pk}",
        template="approvals/emails/expired",
        to=[approval_request.requester.email],
        context=_context(
            approval_request,
            resubmit_url=absolute_url(reverse("approvals:resubmit", args=[approval_request.pk])),
        ),
    )


def send_reminder(approval_request: ApprovalRequest) -> bool:
    """To the approver, a day before a pending request expires, with the one-click links."""
    return send_once(
        key=f"approval-reminder:{approval_request.pk}",
        template="approvals/emails/reminder",
        to=[approval_request.approver.email],
        context=_context(approval_request, **_decision_links(approval_request)),
    )
