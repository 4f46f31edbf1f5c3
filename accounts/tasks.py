"""Thin Celery tasks for the notification outbox (the work is in accounts.delivery)."""

from celery import shared_task

from . import delivery, pagecache


@shared_task(acks_late=True)
def deliver_notifications(notification_ids: list[int]) -> int:
    """Deliver these notifications now (enqueued after the commit that wrote them).

    Safe to run twice or after the relay: only rows still due are claimed. Returns how many
    were sent.
    """
    return delivery.deliver_due(ids=notification_ids, limit=len(notification_ids)).sent


@shared_task(acks_late=True)
def relay_notifications() -> int:
    """Beat, every minute: deliver whatever is still due (a broker that was down at commit,
    a retry whose backoff is over, a worker that died mid-batch). Returns how many were sent."""
    return delivery.relay().sent


@shared_task
def compact_page_touches() -> int:
    """Beat, every minute: one page touch per scope (accounts.pagecache). Returns how many
    rows it deleted."""
    return pagecache.compact_page_touches()
