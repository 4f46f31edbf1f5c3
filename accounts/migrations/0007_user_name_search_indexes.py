"""Indexes for the freelancer picker: a trigram index on the name, an index on the email's case.

The trigram index and its extension exist on PostgreSQL only; on any other database (SQLite,
the embedded default of `make run`) these two operations record the index in the migration
state and create nothing, so the same migrations run everywhere.
"""

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models
from django.db.models.functions import Upper

from accounts.migration_ops import AddIndexOnPostgres


class TrigramExtensionOnPostgres(TrigramExtension):
    # CreateExtension already skips other databases going forwards, not backwards.
    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0006_notification_step_passed"),
    ]

    operations = [
        TrigramExtensionOnPostgres(),
        AddIndexOnPostgres(
            model_name="user",
            index=GinIndex(
                OpClass(Upper("full_name"), name="gin_trgm_ops"), name="user_full_name_trgm_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="user",
            index=models.Index(Upper("email"), name="user_email_upper_idx"),
        ),
    ]
