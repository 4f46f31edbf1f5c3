"""Page touches (PageTouch) and the triggers on accounts' tables that write them: the record the
page cache (accounts.pagecache) keys each reader's pages by. PostgreSQL only; on SQLite the
table exists and stays empty, and the page cache is off."""

from django.db import migrations, models

from accounts.migration_ops import touch_triggers


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0008_notification_kinds_for_chains'),
    ]

    operations = [
        migrations.CreateModel(
            name='PageTouch',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('g', 'Everyone'), ('c', 'Company'), ('u', 'User')], max_length=1)),
                ('owner', models.BigIntegerField(default=0, help_text="The user's or company's id; 0 for everyone.")),
            ],
            options={
                'indexes': [models.Index(fields=['kind', 'owner', 'id'], name='pagetouch_scope_idx')],
            },
        ),
        # What each of accounts' tables changes for a reader (accounts.pagecache).
        touch_triggers(
            "accounts_user_touch", "accounts_user",
            "SELECT 'u', id FROM changed "
            "UNION ALL SELECT 'c', m.company_id FROM changed JOIN accounts_membership m ON m.user_id = changed.id",
            watched=("password", "email", "full_name", "is_active", "is_staff", "is_superuser", "time_zone",
                     "time_zone_chosen"),
            events=("UPDATE", "DELETE"),
        ),
        # A name or an address is shown to colleagues, clients and freelancers alike.
        touch_triggers(
            "accounts_user_name_touch", "accounts_user", "SELECT 'g', 0 FROM changed",
            watched=("email", "full_name"), events=("UPDATE", "DELETE"),
        ),
        touch_triggers(
            "accounts_company_touch", "accounts_company", "SELECT 'c', id FROM changed",
            events=("UPDATE", "DELETE"),
        ),
        touch_triggers(
            "accounts_company_name_touch", "accounts_company", "SELECT 'g', 0 FROM changed",
            watched=("name",), events=("UPDATE",),
        ),
        touch_triggers(
            "accounts_membership_touch", "accounts_membership",
            "SELECT 'u', user_id FROM changed UNION ALL SELECT 'c', company_id FROM changed",
        ),
        touch_triggers(
            "accounts_freelancerprofile_touch", "accounts_freelancerprofile", "SELECT 'u', user_id FROM changed",
        ),
        # The inbox and the bell; not the outbox's delivery columns, which the relay updates.
        touch_triggers(
            "accounts_notification_touch", "accounts_notification", "SELECT 'u', recipient_id FROM changed",
            watched=("recipient_id", "kind", "title", "link", "created_at", "read_at"),
        ),
    ]
