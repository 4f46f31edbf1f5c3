"""Writing notifications: the outbox side.

Every app tells people what happened by calling ``notify`` (or ``notify_many`` for sets) inside
the transaction that makes the change. The rows commit with the change; delivery of the email
is then enqueued after commit, and a broker that is down at that moment is logged and never
reaches the user: the relay (``python manage.py deliver_notifications``, and beat every minute)
delivers whatever is still pending.
"""

import logging

from django.db import transaction

from .models import Notification, NotificationSetting

log = logging.getLogger("greenlight.notifications")

# How many notifications one delivery task handles.
DELIVERY_BATCH_SIZE = 100


def email_enabled(*, user_id: int | None, kind: str) -> bool:
    """Whether this person gets this kind of notification by email (yes unless turned off)."""
    if user_id is None:
        return True
    return not NotificationSetting.objects.filter(user_id=user_id, kind=kind, email_enabled=False).exists()


def notify(
    *,
    key: str,
    kind: str,
    recipient=None,
    email: str = "",
    title: str,
    link: str = "",
    template: str = "",
    context: dict | None = None,
) -> Notification:
    """Record one notification for one person, in the caller's transaction.

    The key makes it once per event: a second call with the same key returns the first row
    unchanged. ``recipient`` is the user (their inbox and, unless they turned this kind off,
    their email); ``email`` alone reaches someone without an account. ``template`` and the plain
    ``context`` it reads make the email; without a template the entry is in-app only.
    """
    address = email or (recipient.email if recipient is not None else "")
    emailed = bool(template and address) and email_enabled(
        user_id=recipient.pk if recipient is not None else None, kind=kind
    )
    notification, created = Notification.objects.get_or_create(
        key=key,
        defaults={
            "kind": kind, "recipient": recipient, "email": address, "title": title[:300],
            "link": link, "template": template, "context": context or {},
            "email_state": Notification.EmailState.PENDING if emailed else Notification.EmailState.SKIPPED,
        },
    )
    if created and emailed:
        enqueue_delivery_on_commit([notification.pk])
    return notification


def enqueue_delivery_on_commit(notification_ids: list[int]) -> None:
    """After commit, ask a worker to deliver these notifications, in batches (one task each)."""
    ids = list(notification_ids)
    transaction.on_commit(lambda: enqueue_delivery(ids))


def enqueue_delivery(notification_ids: list[int]) -> None:
    """Publish delivery tasks; a broker error is logged and left to the relay, never raised."""
    from . import tasks

    for start in range(0, len(notification_ids), DELIVERY_BATCH_SIZE):
        batch = notification_ids[start:start + DELIVERY_BATCH_SIZE]
        try:
            tasks.deliver_notifications.delay(batch)
        except Exception as exc:  # noqa: BLE001 - any broker fault: the relay delivers them later
            log.warning(
                "event=notification.enqueue outcome=deferred count=%d reason=%r", len(batch), str(exc)[:200]
            )
