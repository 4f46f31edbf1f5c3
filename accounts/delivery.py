"""Delivering notification emails: the relay side of the outbox.

``deliver_due`` works in three steps, and only the first touches a lock:

1. **Claim**, in one short transaction: ``SELECT ... FOR UPDATE SKIP LOCKED`` picks undelivered
   rows that are due (pending, or ``sending`` whose claim went stale because a worker died), and
   one UPDATE marks them ``sending`` (attempts + 1, next attempt = now + CLAIM_TIMEOUT). Commit.
   Two workers never claim the same row; a worker that dies leaves rows that become due again
   when their claim times out.
2. **Send**, outside any transaction and holding no lock: render each email from its template
   and plain context and hand it to Django's email backend (django-anymail in production). A
   template registered with ``notifications.register_email_context`` gets its contexts built
   here, from the live rows, one call per template for the whole batch.
3. **Record** each outcome at once: ``sent`` with the provider's message id right after the
   provider returns; a permanent rejection → ``failed`` with the reason, never retried by
   itself (an operator retries it from the admin); any other error → ``pending`` again with
   exponential backoff, and ``failed`` after MAX_ATTEMPTS. One row's failure never stops the
   others.

The one window for a second send: a worker that dies (SIGKILL, lost host, lost database
connection) after the provider accepted a message and before step 3 committed ``sent`` leaves
the row ``sending``; after CLAIM_TIMEOUT another worker claims it and sends it again. Step 3 is a
single-row UPDATE issued immediately after each provider call, so the window is one database
round trip per message. Closing it entirely would need the provider to deduplicate by our key
(an idempotency key), which our providers do not offer for sending.
"""

import contextlib
import datetime
import smtplib
from dataclasses import dataclass, field

from anymail.exceptions import AnymailInvalidAddress, AnymailRecipientsRefused
from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import Count, F, Min
from django.template.loader import render_to_string
from django.utils import timezone

from .logging import log_event
from .models import Notification
from .notifications import email_contexts, enqueue_delivery_on_commit

State = Notification.EmailState

KEY_HEADER = "X-Greenlight-Key"
# A claim older than this belongs to a worker that died: the row is due again.
CLAIM_TIMEOUT = datetime.timedelta(minutes=10)
# Backoff after a transient error: 30 s, 1 min, 2 min, ... capped at 30 min; failed after 8 tries
# (the 7 waits add up to about an hour).
BACKOFF_BASE = datetime.timedelta(seconds=30)
BACKOFF_MAX = datetime.timedelta(minutes=30)
MAX_ATTEMPTS = 8
# Rows one claim takes: small enough that a dying worker strands few, large enough to keep busy.
CLAIM_BATCH_SIZE = 100

# The provider said this address will never take the message: retrying cannot help.
PERMANENT_ERRORS = (AnymailRecipientsRefused, AnymailInvalidAddress)
REJECTED_STATUSES = {"rejected", "invalid"}
# Worth another try later: the provider or the network failed, not the message.
TRANSIENT_ERRORS = (ConnectionError, TimeoutError, OSError, smtplib.SMTPException)


class PermanentDeliveryError(Exception):
    """The provider accepted the call but rejected every recipient, or the email has nothing
    left to render from."""


@dataclass
class DeliveryReport:
    """What one delivery pass did, by outcome."""

    sent: int = 0
    retried: int = 0
    failed: int = 0
    sent_ids: list[int] = field(default_factory=list)

    @property
    def claimed(self) -> int:
        return self.sent + self.retried + self.failed

    def add(self, other: "DeliveryReport") -> None:
        self.sent += other.sent
        self.retried += other.retried
        self.failed += other.failed
        self.sent_ids += other.sent_ids


def backoff(attempts: int) -> datetime.timedelta:
    """How long to wait after the ``attempts``-th failed try: 30 s × 2^(attempts-1), max 30 min."""
    return min(BACKOFF_BASE * 2 ** max(attempts - 1, 0), BACKOFF_MAX)


def deliver_due(*, limit: int = CLAIM_BATCH_SIZE, ids: list[int] | None = None) -> DeliveryReport:
    """Claim up to ``limit`` due notifications (only among ``ids`` when given) and email them.

    Safe to run twice and from many workers at once: a row is claimed by one worker, and a row
    already sent, failed or skipped is never claimed.
    """
    claimed = _claim(limit=limit, ids=ids)
    report = DeliveryReport()
    if not claimed:
        return report
    # One connection for the batch (an SMTP session, or an HTTP session for anymail's backends).
    # If it cannot open, each send tries again and its error is recorded on its own row.
    connection = get_connection()
    with contextlib.suppress(Exception):
        connection.open()
    contexts = _contexts(claimed)
    try:
        for notification in claimed:
            report.add(_deliver_one(notification, connection, contexts.get(notification.pk)))
    finally:
        with contextlib.suppress(Exception):
            connection.close()
    return report


def relay(*, batch_size: int = CLAIM_BATCH_SIZE, max_batches: int | None = None) -> DeliveryReport:
    """One relay pass: deliver everything due, batch after batch, until nothing is left."""
    report = DeliveryReport()
    batches = 0
    while max_batches is None or batches < max_batches:
        batch = deliver_due(limit=batch_size)
        report.add(batch)
        batches += 1
        if batch.claimed < batch_size:
            break
    return report


def _claim(*, limit: int, ids: list[int] | None) -> list[Notification]:
    now = timezone.now()
    with transaction.atomic():
        due = Notification.objects.filter(
            email_state__in=[State.PENDING, State.SENDING], email_next_attempt_at__lte=now
        )
        if ids is not None:
            due = due.filter(pk__in=ids)
        picked = list(
            due.order_by("email_next_attempt_at", "id")
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)[:limit]
        )
        if not picked:
            return []
        Notification.objects.filter(pk__in=picked).update(
            email_state=State.SENDING,
            email_attempts=F("email_attempts") + 1,
            email_next_attempt_at=now + CLAIM_TIMEOUT,
        )
    # Read after commit: the claim is ours until CLAIM_TIMEOUT, no lock is held while sending.
    return list(Notification.objects.filter(pk__in=picked).order_by("email_next_attempt_at", "id"))


def _contexts(claimed: list[Notification]) -> dict[int, dict | Exception]:
    """Each claimed notification's email context, a fixed number of queries for the batch. A
    template whose builder fails gives its error to each of its rows, to be recorded there."""
    by_template: dict[str, list[Notification]] = {}
    for notification in claimed:
        by_template.setdefault(notification.template, []).append(notification)
    contexts: dict[int, dict | Exception] = {}
    for batch in by_template.values():
        try:
            contexts.update(email_contexts(batch))
        except Exception as exc:  # noqa: BLE001 - e.g. the database went away: retried with backoff
            contexts.update({notification.pk: exc for notification in batch})
    return contexts


def render_email(notification: Notification, context: dict | None = None) -> EmailMultiAlternatives:
    """The email of a notification, from its template and its context (by default the one
    stored on the row; the relay passes the one ``notifications.email_contexts`` gives)."""
    context = {"site_url": settings.SITE_URL, **(notification.context if context is None else context)}
    template = notification.template
    subject = " ".join(render_to_string(f"{template}-subject.html", context).split())
    text = render_to_string(f"{template}-body-text.html", context)
    html = render_to_string(f"{template}-body-html.html", context)
    # The key travels with the message, so a duplicate send can be told from a second event
    # (the SIGKILL fault test counts sends per key).
    message = EmailMultiAlternatives(
        subject=subject, body=text, to=[notification.email], headers={KEY_HEADER: notification.key}
    )
    message.attach_alternative(html, "text/html")
    return message


def _deliver_one(notification: Notification, connection, context: dict | Exception | None) -> DeliveryReport:
    try:
        if isinstance(context, Exception):
            raise context
        if context is None:
            raise PermanentDeliveryError("Nothing is left to render this email from.")
        message = render_email(notification, context)
        message.connection = connection
        message.send()
        _refuse_if_rejected(message)
    except (*PERMANENT_ERRORS, PermanentDeliveryError) as exc:
        return _record_failure(notification, exc, permanent=True)
    except Exception as exc:  # noqa: BLE001 - anything else may pass on a later try
        # AnymailAPIError and TRANSIENT_ERRORS land here, and so does an unexpected error
        # (a template bug): retried with backoff, then failed and retryable from the admin.
        return _record_failure(notification, exc, permanent=False)
    return _record_sent(notification, _provider_message_id(message))


def _refuse_if_rejected(message) -> None:
    """anymail may return normally with every recipient rejected (IGNORE_RECIPIENT_STATUS)."""
    status = getattr(message, "anymail_status", None)
    statuses = set(getattr(status, "status", None) or ())
    if statuses and statuses <= REJECTED_STATUSES:
        raise PermanentDeliveryError(f"The provider rejected the recipient ({', '.join(sorted(statuses))}).")


def _provider_message_id(message) -> str:
    """The provider's id for a sent message: anymail gives one id, a set of ids (one per
    recipient) or None, and some providers' ids are not strings (the test backend's are ints)."""
    message_id = getattr(getattr(message, "anymail_status", None), "message_id", None)
    if isinstance(message_id, set | frozenset | list | tuple):
        return ",".join(sorted(str(part) for part in message_id))
    return "" if message_id is None else str(message_id)


def _record_sent(notification: Notification, message_id: str) -> DeliveryReport:
    # Right after the provider returned: this UPDATE is what closes the double-send window.
    Notification.objects.filter(pk=notification.pk, email_state=State.SENDING).update(
        email_state=State.SENT, email_sent_at=timezone.now(), email_message_id=message_id[:300],
        email_last_error="",
    )
    _log(notification, "sent")
    return DeliveryReport(sent=1, sent_ids=[notification.pk])


def _record_failure(notification: Notification, exc: Exception, *, permanent: bool) -> DeliveryReport:
    reason = f"{type(exc).__name__}: {exc}"[:2000]
    attempts = notification.email_attempts
    if permanent or attempts >= MAX_ATTEMPTS:
        Notification.objects.filter(pk=notification.pk, email_state=State.SENDING).update(
            email_state=State.FAILED, email_last_error=reason
        )
        _log(notification, "failed", reason=reason[:200], permanent=permanent)
        return DeliveryReport(failed=1)
    Notification.objects.filter(pk=notification.pk, email_state=State.SENDING).update(
        email_state=State.PENDING, email_last_error=reason,
        email_next_attempt_at=timezone.now() + backoff(attempts),
    )
    _log(notification, "retry", reason=reason[:200], retry_in=int(backoff(attempts).total_seconds()))
    return DeliveryReport(retried=1)


def _log(notification: Notification, outcome: str, **fields) -> None:
    log_event(
        "notification.delivery", outcome=outcome, key=notification.key, notification=notification.pk,
        attempt=notification.email_attempts, **fields,
    )


def notifications_retry(*, notification_ids) -> int:
    """Put failed emails back in the queue (the admin's "Retry email delivery"): due now, with a
    fresh set of attempts. Only failed ones: a sent email is never sent again from here."""
    with transaction.atomic():
        ids = list(
            Notification.objects.filter(pk__in=list(notification_ids), email_state=State.FAILED)
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)
        )
        Notification.objects.filter(pk__in=ids).update(
            email_state=State.PENDING, email_attempts=0, email_next_attempt_at=timezone.now()
        )
        if ids:
            enqueue_delivery_on_commit(ids)
    for pk in ids:
        log_event("notification.retry", notification=pk, outcome="queued")
    return len(ids)


def undelivered_backlog() -> tuple[int, datetime.datetime | None]:
    """How many emails wait (pending or in flight) and when the oldest of them was written."""
    backlog = Notification.objects.filter(email_state__in=[State.PENDING, State.SENDING]).aggregate(
        count=Count("id"), oldest=Min("created_at")
    )
    return backlog["count"], backlog["oldest"]
