"""Writing notifications: the outbox side.

Every app tells people what happened by calling ``notify`` (or ``notify_many`` for sets) inside
the transaction that makes the change. The rows commit with the change; delivery of the email
is then enqueued after commit, and a broker that is down at that moment is logged and never
reaches the user: the relay (``python manage.py deliver_notifications``, and beat every minute)
delivers whatever is still pending.

Most notifications store the plain context their email reads. A kind written in bulk may store
only what finds its facts (an id) and register, with ``register_email_context``, a function that
builds the contexts of a batch of such notifications from the live rows when they are sent.
"""

import logging
from collections.abc import Callable, Iterable

from django.db import connections, router, transaction
from django.db.models import Q

from .models import Notification, NotificationSetting

log = logging.getLogger("greenlight.notifications")

# How many notifications one delivery task handles.
DELIVERY_BATCH_SIZE = 100

# template -> builds {notification id: email context} for a batch of that template's notifications.
EmailContextBuilder = Callable[[list[Notification]], dict[int, dict]]
_email_context_builders: dict[str, EmailContextBuilder] = {}


def register_email_context(template: str, builder: EmailContextBuilder) -> None:
    """Render ``template``'s emails from what ``builder`` reads at send time, not from the stored
    context. Called from an app's ``AppConfig.ready()``, so accounts need not import the app.

    The builder gets a batch of notifications and returns the context of each one it can render,
    keyed by id, with a fixed number of queries per batch; a notification it leaves out has
    nothing left to render from. It runs outside any transaction, before the provider calls.
    """
    _email_context_builders[template] = builder


def email_contexts(notifications: Iterable[Notification]) -> dict[int, dict]:
    """The context each notification's email renders with: built by its template's registered
    builder (one call per template), else the context stored on the row. A notification whose
    builder could not render it is left out."""
    contexts, by_template = {}, {}
    for notification in notifications:
        if notification.template in _email_context_builders:
            by_template.setdefault(notification.template, []).append(notification)
        else:
            contexts[notification.pk] = notification.context
    for template, batch in by_template.items():
        contexts.update(_email_context_builders[template](batch))
    return contexts


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
    """Record one notification for one person, in the caller's transaction (one statement).

    The key makes it once per event: a second call with the same key returns the first row
    unchanged. ``recipient`` is the user (their inbox and, unless they turned this kind off,
    their email); ``email`` alone reaches someone without an account. ``template`` and the plain
    ``context`` it reads make the email; without a template the entry is in-app only.
    """
    row = _row(key=key, kind=kind, recipient=recipient, email=email, title=title, link=link,
               template=template, context=context)
    if not _insert_new([row]):
        return Notification.objects.get(key=key)
    if row.email_state == Notification.EmailState.PENDING:
        enqueue_delivery_on_commit([row.pk])
    return row


def notify_many(notifications: list[dict]) -> list[int]:
    """Record many notifications at once (set-based work such as the expiry sweep), in the
    caller's transaction, in one statement whatever their number (one per batch of as many rows
    as a statement may bind: ``_insert_new``).

    Each item takes ``notify``'s arguments. A key already recorded is left as it is (its email,
    if it owed one, was enqueued when it was written, and the relay delivers what is still due).
    Returns the ids of the rows written now that owe an email; their delivery is enqueued after
    commit in batches.
    """
    if not notifications:
        return []
    written = _insert_new([_row(**n) for n in notifications])
    ids = [row.pk for row in written if row.email_state == Notification.EmailState.PENDING]
    if ids:
        enqueue_delivery_on_commit(ids)
    return ids


def _row(*, key, kind, recipient=None, email="", title, link="", template="", context=None) -> Notification:
    """One notification as notify's arguments describe it, not saved. Its email is owed when it
    has a template and an address, unless its recipient turned the kind off: the INSERT asks
    that (_insert_new)."""
    address = email or (recipient.email if recipient is not None else "")
    return Notification(
        key=key, kind=kind, recipient=recipient, email=address, title=title[:300], link=link,
        template=template, context=context or {},
        email_state=(
            Notification.EmailState.PENDING if template and address else Notification.EmailState.SKIPPED
        ),
    )


# Every column a notification is written with, in order (the id is the database's).
_INSERT_FIELDS = [field for field in Notification._meta.concrete_fields if not field.primary_key]


def _insert_new(rows: list[Notification]) -> list[Notification]:
    """INSERT the rows whose key is new (ON CONFLICT DO NOTHING), one statement per batch, and
    return those written, each with its id and the email state it was written with.

    The one place the recipient's email settings are read: a row that owes an email (PENDING) is
    written SKIPPED instead when its recipient turned its kind off (a NotificationSetting with
    email off), asked by a subquery of the INSERT rather than a statement before it."""
    connection = connections[router.db_for_write(Notification)]
    quote = connection.ops.quote_name
    meta, settings = Notification._meta, NotificationSetting._meta
    key, email_state = meta.get_field("key"), meta.get_field("email_state")
    columns = ", ".join(quote(field.column) for field in _INSERT_FIELDS)
    user, kind, enabled = (
        quote(settings.get_field(name).column) for name in ("user", "kind", "email_enabled")
    )
    muted = (
        f"CASE WHEN EXISTS (SELECT 1 FROM {quote(settings.db_table)} "
        f"WHERE {user} = %s AND {kind} = %s AND NOT {enabled}) THEN %s ELSE %s END"
    )
    batch_size = max(connection.ops.bulk_batch_size([*_INSERT_FIELDS, None, None, None], rows), 1)
    written = []
    for start in range(0, len(rows), batch_size):
        batch, values, params = rows[start:start + batch_size], [], []
        for row in batch:
            placeholders = []
            for field in _INSERT_FIELDS:
                value = field.get_db_prep_save(field.pre_save(row, True), connection)
                if field is email_state and row.email_state == Notification.EmailState.PENDING:
                    placeholders.append(muted)
                    params += [row.recipient_id, row.kind, Notification.EmailState.SKIPPED, value]
                else:
                    placeholders.append("%s")
                    params.append(value)
            values.append(f"({', '.join(placeholders)})")
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES {', '.join(values)} "
                f"ON CONFLICT ({quote(key.column)}) DO NOTHING "
                f"RETURNING {quote(meta.pk.column)}, {quote(key.column)}, {quote(email_state.column)}",
                params,
            )
            returned = {row_key: (pk, state) for pk, row_key, state in cursor.fetchall()}
        for row in batch:
            if row.key in returned:
                # The first row of a key within the batch is the one written.
                row.pk, row.email_state = returned.pop(row.key)
                row._state.adding, row._state.db = False, connection.alias
                written.append(row)
    return written


def cancel_pending_emails(*, key_prefixes: list[str]) -> int:
    """Do not email notifications under these key prefixes that are still waiting (the event
    they announce was undone, e.g. an offer withdrawn before its email went out). The inbox
    entries stay; an email already in flight or sent is not recalled."""
    keys = Q()
    for prefix in key_prefixes:
        keys |= Q(key__startswith=prefix)
    return Notification.objects.filter(keys, email_state=Notification.EmailState.PENDING).update(
        email_state=Notification.EmailState.SKIPPED
    )


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
