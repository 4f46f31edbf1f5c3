"""The set-based expiry sweep behind services.approval_requests_expire_stale: the rows, their
audit trail and their notifications in a fixed number of statements per batch, whatever the
number of rows.

On PostgreSQL one batch of the expiry sweep is one statement: a CTE picks the stale rows
(``FOR UPDATE SKIP LOCKED``), expires them, inserts their transitions and inserts one
notification per requester. The notification is ``emails.expired_notification`` (a test compares
the two): the inbox title, the link and the request's id, which is all the relay needs to build
the email when it sends it; so the statement reads only the requester's row and setting. It names
no approver, whoever decides a request. Elsewhere (the embedded SQLite default) the same batch is
done with the ORM, in Python.
"""

import datetime

from django.db import connection
from django.urls import reverse

from accounts.models import Notification, NotificationSetting, User
from accounts.notifications import enqueue_delivery_on_commit

from . import emails
from .models import ApprovalRequest, ApprovalTransition, State

EXPIRED_KIND = Notification.Kind.APPROVAL_EXPIRED
EXPIRY_COMMENTS = {
    State.PENDING: "Not decided within the decision window.",
    State.APPROVED: "The approval was not used within its validity.",
}
# An id that stands for e.id in a reversed URL, to split the path around it for SQL.
_SLOT_ID = 2147483647


def single_statement() -> bool:
    """Whether the sweep runs as one SQL statement per batch (PostgreSQL's writable CTEs)."""
    return connection.vendor == "postgresql"


def _expire_stale_query(batch_size: int) -> tuple[str, dict]:
    """The statement that expires one batch; it writes ``emails.expired_notification`` in SQL."""
    before, after = reverse("approvals:detail", args=[_SLOT_ID]).split(str(_SLOT_ID))
    params = {
        "batch_size": batch_size,
        "pending": State.PENDING, "approved": State.APPROVED, "expired": State.EXPIRED,
        "comment_pending": EXPIRY_COMMENTS[State.PENDING],
        "comment_approved": EXPIRY_COMMENTS[State.APPROVED],
        "kind": EXPIRED_KIND, "template": emails.EXPIRED_TEMPLATE, "key_prefix": f"{EXPIRED_KIND}:",
        "detail_before": before, "detail_after": after,
        "email_pending": Notification.EmailState.PENDING,
        "email_skipped": Notification.EmailState.SKIPPED,
    }
    request = ApprovalRequest._meta.db_table
    # Each text parameter is cast: PostgreSQL binds the parameters apart from the statement
    # (psycopg's server-side binding) and would otherwise deduce a different type for the same
    # one used as a value and in a comparison.
    sql = f"""
    WITH picked AS (
        SELECT id, state AS source_state FROM {request}
        WHERE state IN (%(pending)s::text, %(approved)s::text) AND expires_at <= %(now)s
        ORDER BY expires_at, id
        LIMIT %(batch_size)s
        FOR UPDATE SKIP LOCKED
    ), expired AS (
        -- "= ANY(ARRAY(...))" finds the picked rows by primary key; joined on picked alone, the
        -- planner reads the whole table into a hash for every batch.
        UPDATE {request} AS r
        SET state = %(expired)s::text, expired_at = %(now)s, updated_at = %(now)s
        FROM picked
        WHERE r.id = ANY(ARRAY(SELECT id FROM picked)) AND r.id = picked.id
        RETURNING r.id, r.requester_id, r.title, r.decided_at, picked.source_state
    ), audit AS (
        INSERT INTO {ApprovalTransition._meta.db_table}
            (request_id, actor_id, name, source_state, target_state, comment, created_at)
        SELECT id, NULL, 'expire', source_state, %(expired)s::text,
            CASE source_state WHEN %(pending)s::text THEN %(comment_pending)s::text
                ELSE %(comment_approved)s::text END,
            %(now)s
        FROM expired
    ), notified AS (
        INSERT INTO {Notification._meta.db_table}
            (key, kind, recipient_id, email, title, link, template, context, created_at,
             email_state, email_attempts, email_next_attempt_at, email_last_error, email_message_id)
        SELECT %(key_prefix)s::text || e.id, %(kind)s::text, e.requester_id, requester.email,
            CASE WHEN e.decided_at IS NOT NULL THEN 'Your approval for “' ELSE 'Your request “' END
                || e.title || '” expired',
            %(detail_before)s::text || e.id || %(detail_after)s::text,
            %(template)s::text,
            jsonb_build_object('approval_request_id', e.id),
            %(now)s,
            CASE WHEN requester.email = '' OR EXISTS (
                SELECT FROM {NotificationSetting._meta.db_table} AS setting
                WHERE setting.user_id = e.requester_id AND setting.kind = %(kind)s::text
                    AND NOT setting.email_enabled
            ) THEN %(email_skipped)s::text ELSE %(email_pending)s::text END,
            0, %(now)s, '', ''
        FROM expired AS e
        JOIN {User._meta.db_table} AS requester ON requester.id = e.requester_id
        ON CONFLICT (key) DO NOTHING
        RETURNING id, email_state
    )
    SELECT (SELECT count(*) FROM expired),
           ARRAY(SELECT id FROM notified WHERE email_state = %(email_pending)s::text ORDER BY id)
    """
    return sql, params


def expire_stale_batch(*, now: datetime.datetime, batch_size: int) -> int:
    """Expire up to ``batch_size`` stale requests, log each transition and notify each
    requester, in the caller's transaction; their emails are enqueued after commit, one task
    per hundred. Returns how many expired."""
    if not single_statement():
        return _expire_stale_batch_orm(now=now, batch_size=batch_size)
    sql, params = _expire_stale_query(batch_size)
    with connection.cursor() as cursor:
        cursor.execute(sql, {**params, "now": now})
        count, notification_ids = cursor.fetchone()
    if notification_ids:
        enqueue_delivery_on_commit(list(notification_ids))
    return count


def _expire_stale_batch_orm(*, now: datetime.datetime, batch_size: int) -> int:
    """The same batch with the ORM: one SELECT, one UPDATE, one INSERT of transitions and
    one of notifications (accounts.notifications.notify_many)."""
    rows = list(
        ApprovalRequest.objects.filter(state__in=[State.PENDING, State.APPROVED], expires_at__lte=now)
        .select_related("requester")
        .order_by("expires_at", "id")
        .select_for_update(skip_locked=True, of=("self",))[:batch_size]
    )
    if not rows:
        return 0
    ApprovalRequest.objects.filter(pk__in=[r.pk for r in rows]).update(
        state=State.EXPIRED, expired_at=now, updated_at=now
    )
    ApprovalTransition.objects.bulk_create([
        ApprovalTransition(
            request_id=r.pk, actor=None, name="expire", source_state=r.state,
            target_state=State.EXPIRED, comment=EXPIRY_COMMENTS[r.state], created_at=now,
        )
        for r in rows
    ])
    for r in rows:
        # As the UPDATE left it (the FSM field refuses assignment; the row is already saved).
        r.__dict__["state"], r.expired_at = State.EXPIRED, now
    emails.send_expired_to_each(rows)
    return len(rows)
