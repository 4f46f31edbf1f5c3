"""notify_many: set-based notifications in one INSERT per batch. Each new key is written once,
a key already recorded is left as it is, a recipient's muted kind is written but not emailed,
and only the emails the statement itself made owed are enqueued."""

import pytest
from django.db import connection

from accounts.models import Notification, NotificationSetting
from accounts.notifications import _INSERT_FIELDS, notify, notify_many
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _item(
    key, *, recipient=None, email="", kind=Notification.Kind.APPROVAL_NEW, template="emails/test-welcome"
):
    return {
        "key": key, "kind": kind, "recipient": recipient, "email": email, "title": f"About {key}",
        "link": "/", "template": template, "context": {"name": key},
    }


def test_one_statement_writes_new_keys_and_returns_only_the_emails_it_made_owed(
    django_assert_num_queries, django_capture_on_commit_callbacks
):
    ada, bob = UserFactory(email="ada@example.test"), UserFactory(email="bob@example.test")
    NotificationSetting.objects.create(user=ada, kind=Notification.Kind.OFFER_SENT, email_enabled=False)
    # Bob turned a kind on again: a setting row that does not mute.
    NotificationSetting.objects.create(user=bob, kind=Notification.Kind.OFFER_SENT, email_enabled=True)
    [earlier] = notify_many([_item("same-event", recipient=bob)])
    Notification.objects.filter(pk=earlier).update(title="As first written")

    with django_capture_on_commit_callbacks() as callbacks, django_assert_num_queries(1):
        owed = notify_many([
            _item("muted", recipient=ada, kind=Notification.Kind.OFFER_SENT),
            _item("other-kind", recipient=ada, kind=Notification.Kind.OFFER_WITHDRAWN),
            _item("not-muted", recipient=bob, kind=Notification.Kind.OFFER_SENT),
            _item("in-app-only", recipient=bob, template=""),
            _item("no-account", email="guest@example.test"),
            _item("same-event", recipient=bob),
        ])

    rows = {n.key: n for n in Notification.objects.all()}
    assert {key: rows[key].email_state for key in rows} == {
        "muted": "skipped", "other-kind": "pending", "not-muted": "pending", "in-app-only": "skipped",
        "no-account": "pending", "same-event": "pending",
    }
    assert rows["muted"].recipient == ada and rows["muted"].email == "ada@example.test"
    assert rows["no-account"].recipient is None and rows["no-account"].email == "guest@example.test"
    assert rows["not-muted"].context == {"name": "not-muted"} and rows["not-muted"].title == "About not-muted"
    # The key already recorded is left as it was, and its email is not enqueued a second time.
    assert rows["same-event"].pk == earlier and rows["same-event"].title == "As first written"
    assert sorted(owed) == sorted(rows[key].pk for key in ("other-kind", "not-muted", "no-account"))
    assert len(callbacks) == 1


def test_more_rows_than_one_statement_may_bind_are_written_in_batches(django_assert_num_queries):
    # PostgreSQL binds at most 65,535 parameters per statement; a muted-kind check binds four for
    # the row's email state instead of one.
    per_row = len(_INSERT_FIELDS) + 3
    rows = connection.features.max_query_params // per_row + 10
    with django_assert_num_queries(2):
        owed = notify_many([_item(f"sweep:{i}", email=f"user{i}@example.test") for i in range(rows)])
    assert Notification.objects.filter(key__startswith="sweep:", email_state="pending").count() == rows
    assert len(owed) == rows


def test_nothing_to_write_runs_no_statement(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert notify_many([]) == []


def test_notify_writes_one_row_in_one_statement_with_the_same_rule_for_muted_kinds(
    django_assert_num_queries, django_capture_on_commit_callbacks
):
    ada = UserFactory(email="ada@example.test")
    NotificationSetting.objects.create(user=ada, kind=Notification.Kind.OFFER_SENT, email_enabled=False)
    with django_capture_on_commit_callbacks() as callbacks, django_assert_num_queries(2):
        emailed = notify(**_item("emailed", recipient=ada))
        muted = notify(**_item("muted", recipient=ada, kind=Notification.Kind.OFFER_SENT))
    assert len(callbacks) == 1
    assert Notification.objects.get(pk=emailed.pk).email_state == emailed.email_state == "pending"
    assert Notification.objects.get(pk=muted.pk).email_state == muted.email_state == "skipped"
    assert emailed.recipient == ada and emailed.title == "About emailed"


def test_notify_again_with_the_same_key_returns_the_first_row_unchanged_and_enqueues_nothing(
    django_capture_on_commit_callbacks
):
    first = notify(**_item("once", email="guest@example.test"))
    with django_capture_on_commit_callbacks() as callbacks:
        again = notify(**{**_item("once", email="other@example.test"), "title": "Changed"})
    assert again.pk == first.pk and again.title == "About once" and again.email == "guest@example.test"
    assert callbacks == []
