"""Thin Celery tasks: load by id, check the state still calls for the email, send it.

Email tasks may run twice (retries, redelivery): send_once records each key, so a message
goes out once. The beat tasks call the set-based services.
"""

from celery import shared_task

from accounts.tasks import EMAIL_TASK_OPTIONS

from . import emails, services
from .models import ApprovalRequest, State


def _load(approval_request_id: int) -> ApprovalRequest | None:
    return (
        ApprovalRequest.objects.select_related("company", "requester", "approver", "freelancer", "job")
        .filter(pk=approval_request_id)
        .first()
    )


@shared_task(**EMAIL_TASK_OPTIONS)
def send_new_request_email(approval_request_id: int) -> bool:
    approval_request = _load(approval_request_id)
    if approval_request is None or approval_request.state != State.PENDING:
        return False
    return emails.send_new_request(approval_request)


@shared_task(**EMAIL_TASK_OPTIONS)
def send_decision_email(approval_request_id: int) -> bool:
    approval_request = _load(approval_request_id)
    if approval_request is None or approval_request.decided_at is None:
        return False
    return emails.send_decision(approval_request)


@shared_task(**EMAIL_TASK_OPTIONS)
def send_expiry_email(approval_request_id: int) -> bool:
    approval_request = _load(approval_request_id)
    if approval_request is None or approval_request.state != State.EXPIRED:
        return False
    return emails.send_expired(approval_request)


@shared_task(**EMAIL_TASK_OPTIONS)
def send_reminder_email(approval_request_id: int) -> bool:
    approval_request = _load(approval_request_id)
    if (
        approval_request is None
        or approval_request.state != State.PENDING
        or approval_request.is_past_expiry
    ):
        return False
    return emails.send_reminder(approval_request)


@shared_task
def expire_stale_approval_requests() -> int:
    return services.approval_requests_expire_stale()


@shared_task
def remind_approvers_before_expiry() -> int:
    return len(services.approval_requests_mark_for_reminder())
