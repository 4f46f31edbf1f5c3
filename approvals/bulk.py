"""The set-based expiry sweep behind services.approval_requests_expire_stale: the rows, their
audit trail and their notifications in a fixed number of statements per batch, whatever the
number of rows.

On PostgreSQL one batch of the expiry sweep is one statement: a CTE picks the stale rows
(``FOR UPDATE SKIP LOCKED``), expires them, inserts their transitions and inserts one
notification per requester, building the email's context with ``jsonb_build_object``. Those
keys and values mirror ``emails.expired_notification`` (a test compares the two). Elsewhere (the
embedded SQLite default) the same batch is done with the ORM, in Python.
"""

import datetime

from django.conf import settings
from django.db import connection
from django.urls import reverse

from accounts.models import Company, Notification, NotificationSetting, User
from accounts.notifications import enqueue_delivery_on_commit
from jobs.models import Job
from jobs.terms import ContractType, OfferType

from . import emails
from .models import ApprovalRequest, ApprovalTransition, State

EXPIRED_KIND = Notification.Kind.APPROVAL_EXPIRED
EXPIRED_TEMPLATE = "approvals/emails/expired"
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
    """The statement that expires one batch; it builds ``emails.expired_notification`` in SQL."""
    params = {
        "batch_size": batch_size,
        "pending": State.PENDING, "approved": State.APPROVED, "expired": State.EXPIRED,
        "comment_pending": EXPIRY_COMMENTS[State.PENDING],
        "comment_approved": EXPIRY_COMMENTS[State.APPROVED],
        "kind": EXPIRED_KIND, "template": EXPIRED_TEMPLATE, "key_prefix": f"{EXPIRED_KIND}:",
        "site_url": settings.SITE_URL,
        "email_pending": Notification.EmailState.PENDING,
        "email_skipped": Notification.EmailState.SKIPPED,
    }

    def path(name: str) -> str:
        """SQL for the path of approvals:<name> of request e.id."""
        before, after = reverse(f"approvals:{name}", args=[_SLOT_ID]).split(str(_SLOT_ID))
        params[f"{name}_before"], params[f"{name}_after"] = before, after
        return f"%({name}_before)s || e.id || %({name}_after)s"

    def label(column: str, choices, name: str, lower: bool = False) -> str:
        """SQL for the display label of a choice column."""
        whens = []
        for i, (value, text) in enumerate(choices):
            params[f"{name}_{i}"] = value
            params[f"{name}_label_{i}"] = str(text).lower() if lower else str(text)
            whens.append(f"WHEN %({name}_{i})s THEN %({name}_label_{i})s")
        return f"CASE {column} {' '.join(whens)} ELSE {column} END"

    def person(alias: str) -> str:  # str(user)
        return f"CASE WHEN {alias}.full_name <> '' THEN {alias}.full_name ELSE {alias}.email END"

    def short_name(alias: str) -> str:  # user.get_short_name()
        return (f"CASE WHEN {alias}.full_name <> '' THEN split_part({alias}.full_name, ' ', 1) "
                f"ELSE {alias}.email END")

    freelancer = (
        f"CASE WHEN e.freelancer_id IS NOT NULL THEN {person('f')} "
        "WHEN e.freelancer_name <> '' THEN e.freelancer_name ELSE e.freelancer_email END"
    )
    # jobs.terms.format_money and accounts.timezones.format_for: "1,234.50 USD",
    # "Dec 6, 2026 09:30 CET" in the requester's zone, named (PostgreSQL's abbreviation for it).
    amount = "to_char(e.amount, 'FM9,999,999,999,990.00') || ' ' || e.currency"
    expires_at = (
        "to_char(e.expires_at AT TIME ZONE COALESCE(tz.name, 'UTC'), 'Mon FMDD, YYYY HH24:MI')"
        " || ' ' || COALESCE(tz.abbrev, 'UTC')"
    )
    detail_path = path("detail")
    offer_type = label("e.offer_type", OfferType.choices, "offer_type")
    contract_type = label("e.contract_type", ContractType.choices, "contract_type")
    request = ApprovalRequest._meta.db_table
    users = User._meta.db_table
    sql = f"""
    WITH picked AS (
        SELECT id, state AS source_state FROM {request}
        WHERE state IN (%(pending)s, %(approved)s) AND expires_at <= %(now)s
        ORDER BY expires_at, id
        LIMIT %(batch_size)s
        FOR UPDATE SKIP LOCKED
    ), expired AS (
        UPDATE {request} AS r
        SET state = %(expired)s, expired_at = %(now)s, updated_at = %(now)s
        FROM picked WHERE r.id = picked.id
        RETURNING r.*, picked.source_state
    ), audit AS (
        INSERT INTO {ApprovalTransition._meta.db_table}
            (request_id, actor_id, name, source_state, target_state, comment, created_at)
        SELECT id, NULL, 'expire', source_state, %(expired)s,
            CASE source_state WHEN %(pending)s THEN %(comment_pending)s ELSE %(comment_approved)s END,
            %(now)s
        FROM expired
    ), notified AS (
        INSERT INTO {Notification._meta.db_table}
            (key, kind, recipient_id, email, title, link, template, context, created_at,
             email_state, email_attempts, email_next_attempt_at, email_last_error, email_message_id)
        SELECT %(key_prefix)s || e.id, %(kind)s, e.requester_id, requester.email,
            CASE WHEN e.decided_at IS NOT NULL THEN 'Your approval for “' ELSE 'Your request “' END
                || e.title || '” expired',
            {detail_path},
            %(template)s,
            jsonb_build_object(
                'approval_request', jsonb_build_object(
                    'id', e.id,
                    'title', e.title,
                    'freelancer_display', {freelancer},
                    'offer_type_display', {offer_type},
                    'contract_type', e.contract_type,
                    'contract_type_display', {contract_type},
                    'amount', {amount},
                    'weekly_hour_limit', e.weekly_hour_limit,
                    'start_date', to_char(e.start_date, 'Mon FMDD, YYYY'),
                    'job_title', COALESCE(job.title, ''),
                    'justification', e.justification,
                    'company_name', company.name,
                    'requester_name', {person('requester')},
                    'requester_short_name', {short_name('requester')},
                    'approver_name', CASE WHEN e.decided_by_names <> '' THEN e.decided_by_names
                        ELSE COALESCE({person('approver')}, '') END,
                    'approver_short_name', {short_name('requester')},
                    'state', e.state,
                    'decision_comment', e.decision_comment,
                    'expires_at', {expires_at},
                    'decided', e.decided_at IS NOT NULL,
                    'consumed', e.consumed_at IS NOT NULL,
                    'resubmission_of_id', e.resubmission_of_id,
                    'resubmission_of_state',
                        COALESCE({label('previous.state', State.choices, 'state', lower=True)}, '')
                ),
                'detail_url', %(site_url)s || {detail_path},
                'resubmit_url', %(site_url)s || {path("resubmit")}
            ),
            %(now)s,
            CASE WHEN setting.email_enabled IS FALSE OR requester.email = ''
                THEN %(email_skipped)s ELSE %(email_pending)s END,
            0, %(now)s, '', ''
        FROM expired AS e
        JOIN {users} AS requester ON requester.id = e.requester_id
        LEFT JOIN {users} AS approver ON approver.id = e.approver_id
        JOIN {Company._meta.db_table} AS company ON company.id = e.company_id
        LEFT JOIN {users} AS f ON f.id = e.freelancer_id
        LEFT JOIN {Job._meta.db_table} AS job ON job.id = e.job_id
        LEFT JOIN {request} AS previous ON previous.id = e.resubmission_of_id
        LEFT JOIN {NotificationSetting._meta.db_table} AS setting
            ON setting.user_id = e.requester_id AND setting.kind = %(kind)s
        LEFT JOIN pg_timezone_names AS tz ON tz.name = requester.time_zone
        ORDER BY e.id
        ON CONFLICT (key) DO NOTHING
        RETURNING id, email_state
    )
    SELECT (SELECT count(*) FROM expired),
           ARRAY(SELECT id FROM notified WHERE email_state = %(email_pending)s ORDER BY id)
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
        .select_related("company", "requester", "approver", "freelancer", "job", "resubmission_of")
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
