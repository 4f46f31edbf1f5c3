"""Upgrading keeps the history of sent emails: SentEmail rows become sent notifications under
the same keys, so a task queued before the upgrade finds its key taken and sends nothing."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("accounts", "0003_notification_outbox")]
AFTER = [("accounts", "0004_sentemail_into_notification")]


@pytest.fixture
def back_to_latest():
    """Leave the database fully migrated: later accounts migrations add columns other tests use."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_sent_emails_become_sent_notifications(back_to_latest):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old_apps = executor.loader.project_state(BEFORE).apps
    sent_email = old_apps.get_model("accounts", "SentEmail")
    sent_at = timezone.now() - datetime.timedelta(days=3)
    sent_email.objects.create(
        key="approval-new:42", kind="approvals/emails/new-request", to="alan@acme.test",
        subject="Approval needed: Data engineer for Ada Lovelace", message_id="abc", sent_at=sent_at,
    )
    sent_email.objects.create(key="team:1", kind="emails/test-welcome", to="a@x.test, b@x.test")

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new_apps = executor.loader.project_state(AFTER).apps
    notification = new_apps.get_model("accounts", "Notification")
    sent = notification.objects.get(key="approval-new:42")
    assert (sent.kind, sent.email, sent.recipient_id, sent.template) == (
        "approval-new", "alan@acme.test", None, ""
    )
    assert sent.title == "Approval needed: Data engineer for Ada Lovelace"
    assert sent.email_state == "sent" and sent.email_sent_at == sent_at and sent.email_message_id == "abc"
    never_sent = notification.objects.get(key="team:1")
    assert never_sent.email == "a@x.test" and never_sent.email_state == "skipped"
    assert "SentEmail" not in [m.__name__ for m in new_apps.get_app_config("accounts").get_models()]
