"""One function per approval notification. Each writes the person's notification in the
caller's transaction (accounts.notifications.notify); the relay emails it after commit.

The email context holds plain values computed now (names, formatted money and dates, absolute
links), so the email says what was true when the event happened and renders without the models.
The one exception is the expired email: an expired request never changes again, so its row keeps
only the request's id and the email is built from the request when it is sent.
Times are formatted in the recipient's time zone, with the zone named.
``<kind>_notification(...)`` builds the values; ``send_<kind>(...)`` records them.
"""

import datetime

from django.urls import reverse

from accounts.mail import absolute_url
from accounts.models import Notification
from accounts.notifications import notify, notify_many
from accounts.timezones import format_for
from jobs.terms import format_money

from .models import ApprovalRequest
from .tokens import make_decision_token

Kind = Notification.Kind
EXPIRED_TEMPLATE = "approvals/emails/expired"
# What the expired email names besides the request: the people, the job, the previous request.
EXPIRED_EMAIL_RELATED = ("company", "requester", "approver", "freelancer", "job", "resubmission_of")


def _date(day: datetime.date) -> str:
    return f"{day:%b} {day.day}, {day:%Y}"  # "Dec 6, 2026", as the pages show dates


def _values(approval_request: ApprovalRequest, *, reader) -> dict:
    """The request as the email templates read it, for ``reader``: plain, JSON-serialisable values."""
    resubmission_of = approval_request.resubmission_of if approval_request.resubmission_of_id else None
    return {
        "id": approval_request.pk,
        "title": approval_request.title,
        "freelancer_display": approval_request.freelancer_display,
        "offer_type_display": approval_request.get_offer_type_display(),
        "contract_type": approval_request.contract_type,
        "contract_type_display": approval_request.get_contract_type_display(),
        "amount": format_money(approval_request.amount, approval_request.currency),
        "weekly_hour_limit": approval_request.weekly_hour_limit,
        "start_date": _date(approval_request.start_date),
        "job_title": approval_request.job.title if approval_request.job_id else "",
        "justification": approval_request.justification,
        "company_name": approval_request.company.name,
        "requester_name": str(approval_request.requester),
        "requester_short_name": approval_request.requester.get_short_name(),
        "approver_name": str(approval_request.approver),
        "approver_short_name": approval_request.approver.get_short_name(),
        "state": approval_request.state,
        "decision_comment": approval_request.decision_comment,
        "expires_at": format_for(reader, approval_request.expires_at),
        "decided": approval_request.decided_at is not None,
        "consumed": approval_request.consumed_at is not None,
        "resubmission_of_id": approval_request.resubmission_of_id,
        "resubmission_of_state": resubmission_of.get_state_display().lower() if resubmission_of else "",
    }


def _context(approval_request: ApprovalRequest, *, reader, **extra) -> dict:
    return {
        "approval_request": _values(approval_request, reader=reader),
        "detail_url": absolute_url(_detail_path(approval_request)),
        **extra,
    }


def _detail_path(approval_request: ApprovalRequest) -> str:
    return reverse("approvals:detail", args=[approval_request.pk])


def _decision_links(approval_request: ApprovalRequest) -> dict:
    """One-click Approve / Decline links, signed now for this approver and this expiry."""
    return {
        f"{action}_url": absolute_url(
            reverse(
                "approvals:email_decision",
                args=[make_decision_token(approval_request=approval_request, action=action)],
            )
        )
        for action in ("approve", "decline")
    }


def _resubmit_url(approval_request: ApprovalRequest) -> str:
    return absolute_url(reverse("approvals:resubmit", args=[approval_request.pk]))


def new_request_notification(approval_request: ApprovalRequest) -> dict:
    if approval_request.resubmission_of_id:
        # The caller's copy may predate its decline or expiry; the email says what it is now.
        approval_request.resubmission_of.refresh_from_db(fields=["state"])
    return {
        "key": f"approval-new:{approval_request.pk}",
        "kind": Kind.APPROVAL_NEW,
        "recipient": approval_request.approver,
        "title": f"{approval_request.requester} asks you to approve “{approval_request.title}”",
        "link": _detail_path(approval_request),
        "template": "approvals/emails/new-request",
        "context": _context(
            approval_request, reader=approval_request.approver, **_decision_links(approval_request)
        ),
    }


def send_new_request(approval_request: ApprovalRequest) -> Notification:
    """To the approver: the details and one-click Approve / Decline links."""
    return notify(**new_request_notification(approval_request))


def decision_notification(approval_request: ApprovalRequest) -> dict:
    verb = "declined" if approval_request.state == "declined" else "approved"
    return {
        "key": f"approval-decision:{approval_request.pk}",
        "kind": Kind.APPROVAL_DECISION,
        "recipient": approval_request.requester,
        "title": f"{approval_request.approver} {verb} your request “{approval_request.title}”",
        "link": _detail_path(approval_request),
        "template": "approvals/emails/decision",
        "context": _context(
            approval_request,
            reader=approval_request.requester,
            resubmit_url=_resubmit_url(approval_request),
            send_offer_url=absolute_url(
                f"{reverse('offers:offer_create')}?approval_request={approval_request.pk}"
            ),
        ),
    }


def send_decision(approval_request: ApprovalRequest) -> Notification:
    """To the requester: approved or declined, with the approver's comment and the next step
    as a link (send the offer with this approval, or resubmit the declined request)."""
    return notify(**decision_notification(approval_request))


def expired_notification(approval_request: ApprovalRequest) -> dict:
    """The requester's notification that their request (or unused approval) expired.

    Its row keeps only the request's id: an expired request is final, so its email, rendered when
    it is sent from the live rows (``expired_email_contexts``), shows the terms it expired with.
    The expiry sweep writes thousands of these in one statement, so the row stays this small."""
    what = "approval for" if approval_request.decided_at else "request"
    return {
        "key": f"approval-expired:{approval_request.pk}",
        "kind": Kind.APPROVAL_EXPIRED,
        "recipient": approval_request.requester,
        "title": f"Your {what} “{approval_request.title}” expired",
        "link": _detail_path(approval_request),
        "template": EXPIRED_TEMPLATE,
        "context": {"approval_request_id": approval_request.pk},
    }


def expired_email_context(approval_request: ApprovalRequest) -> dict:
    """What the expired email reads, for the requester."""
    return _context(
        approval_request, reader=approval_request.requester, resubmit_url=_resubmit_url(approval_request)
    )


def expired_email_contexts(notifications: list[Notification]) -> dict[int, dict]:
    """The expired emails of a batch of notifications, from their requests: one query for the
    batch (registered for EXPIRED_TEMPLATE in apps.py). A row written before the email was built
    at send time carries its whole context and keeps it; a request that no longer exists is left
    out, so its email fails rather than going out empty."""
    ids = {n.context["approval_request_id"] for n in notifications if "approval_request_id" in n.context}
    requests = ApprovalRequest.objects.select_related(*EXPIRED_EMAIL_RELATED).in_bulk(ids)
    contexts = {}
    for notification in notifications:
        if "approval_request_id" not in notification.context:
            contexts[notification.pk] = notification.context
        elif approval_request := requests.get(notification.context["approval_request_id"]):
            contexts[notification.pk] = expired_email_context(approval_request)
    return contexts


def send_expired(approval_request: ApprovalRequest) -> Notification:
    """To the requester: the request (or the unused approval) expired."""
    return notify(**expired_notification(approval_request))


def send_expired_to_each(approval_requests) -> list[int]:
    """The expiry sweep: every requester's notification in one INSERT."""
    return notify_many([expired_notification(approval_request) for approval_request in approval_requests])


def reminder_notification(approval_request: ApprovalRequest) -> dict:
    return {
        "key": f"approval-reminder:{approval_request.pk}",
        "kind": Kind.APPROVAL_REMINDER,
        "recipient": approval_request.approver,
        "title": f"Reminder: decide “{approval_request.title}” before it expires",
        "link": _detail_path(approval_request),
        "template": "approvals/emails/reminder",
        "context": _context(
            approval_request, reader=approval_request.approver, **_decision_links(approval_request)
        ),
    }


def send_reminder(approval_request: ApprovalRequest) -> Notification:
    """To the approver, a day before a pending request expires, with the one-click links."""
    return notify(**reminder_notification(approval_request))


def send_reminder_to_each(approval_requests) -> list[int]:
    """The reminder scan: every approver's reminder in one INSERT."""
    return notify_many([reminder_notification(approval_request) for approval_request in approval_requests])
