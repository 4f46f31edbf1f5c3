"""A template registered with register_email_context is rendered from what its builder reads when
the relay sends it, a claimed batch at a time; a builder that fails or cannot render a row never
sends an empty email and never holds up the other rows."""

import pytest

from accounts import notifications
from accounts.models import Notification
from accounts.notifications import notify
from accounts.tasks import relay_notifications

pytestmark = pytest.mark.django_db

BUILT = "emails/test-welcome"  # "Hello {{ name }}"


@pytest.fixture
def builder(monkeypatch):
    """Register a builder for BUILT that names each person from their stored id (none: gone);
    records the batches it is called with."""
    calls = []

    def build(batch):
        calls.append(sorted(n.pk for n in batch))
        return {n.pk: {"name": f"Person {n.context['person_id']}"} for n in batch if n.context["person_id"]}

    monkeypatch.setitem(notifications._email_context_builders, BUILT, build)
    return calls


def _notification(n, *, person_id, template=BUILT):
    return notify(
        key=f"built:{n}", kind=Notification.Kind.APPROVAL_EXPIRED, email=f"user{n}@example.test",
        title=f"Entry {n}", template=template, context={"person_id": person_id},
    )


def test_the_relay_builds_each_claimed_batch_of_a_template_with_one_call(builder, mailoutbox):
    rows = [_notification(n, person_id=n) for n in (1, 2, 3)]

    relay_notifications()

    assert builder == [sorted(row.pk for row in rows)]
    assert sorted((m.to[0], m.body.strip()) for m in mailoutbox) == [
        ("user1@example.test", "Hello Person 1"), ("user2@example.test", "Hello Person 2"),
        ("user3@example.test", "Hello Person 3"),
    ]
    assert set(Notification.objects.values_list("email_state", flat=True)) == {"sent"}


def test_a_row_the_builder_cannot_render_fails_for_good_and_the_others_are_sent(builder, mailoutbox):
    gone = _notification(1, person_id=0)
    kept = _notification(2, person_id=2)

    relay_notifications()

    gone.refresh_from_db()
    kept.refresh_from_db()
    assert (gone.email_state, kept.email_state) == ("failed", "sent")
    assert "Nothing is left to render" in gone.email_last_error
    assert [m.to for m in mailoutbox] == [["user2@example.test"]]


def test_a_failing_builder_puts_its_rows_back_for_a_retry(monkeypatch, mailoutbox):
    def broken(batch):
        raise ConnectionError("database went away")

    monkeypatch.setitem(notifications._email_context_builders, BUILT, broken)
    built = _notification(1, person_id=1)

    relay_notifications()

    built.refresh_from_db()
    assert (built.email_state, built.email_attempts) == ("pending", 1)
    assert "database went away" in built.email_last_error
    assert mailoutbox == []
