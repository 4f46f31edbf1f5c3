"""SentEmail's history moves into Notification (as sent, email only), then SentEmail goes.

Each SentEmail row becomes a Notification under the same key, so a task still in a queue from
before the upgrade finds the key taken and sends nothing again. The copies have no recipient
(they stay out of inboxes: their titles are old subjects with no link) and no template (the
relay never renders them). A row never marked sent is copied as skipped: what it would have
said was not kept.
"""

from django.db import migrations

KINDS = {
    "approval-new", "approval-reminder", "approval-decision", "approval-expired", "offer-sent",
    "offer-modified", "offer-withdrawn", "offer-accepted", "offer-declined", "invite-received",
    "invite-accepted", "invite-declined", "referral-invite", "referral-outcome",
}


def copy_sent_emails(apps, schema_editor):
    SentEmail = apps.get_model("accounts", "SentEmail")
    Notification = apps.get_model("accounts", "Notification")
    batch = []
    for sent in SentEmail.objects.order_by("pk").iterator(chunk_size=2000):
        prefix = sent.key.split(":", 1)[0]
        address = sent.to.split(",")[0].strip()[:254] or "unknown@invalid"
        batch.append(Notification(
            key=sent.key,
            kind=prefix if prefix in KINDS else sent.kind[:50],
            email=address,
            title=(sent.subject or sent.key)[:300],
            template="",
            created_at=sent.created_at,
            email_state="sent" if sent.sent_at else "skipped",
            email_attempts=1 if sent.sent_at else 0,
            email_next_attempt_at=sent.created_at,
            email_sent_at=sent.sent_at,
            email_message_id=sent.message_id,
            email_last_error="" if sent.sent_at else "Not sent before the outbox replaced SentEmail.",
        ))
        if len(batch) >= 2000:
            Notification.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    Notification.objects.bulk_create(batch, ignore_conflicts=True)


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0003_notification_outbox"),
    ]

    operations = [
        migrations.RunPython(copy_sent_emails, migrations.RunPython.noop, elidable=True),
        migrations.DeleteModel(name="SentEmail"),
    ]
