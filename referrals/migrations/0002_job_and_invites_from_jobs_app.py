"""A referral's job and invites now live in the jobs app (same tables, state only)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('referrals', '0001_initial'),
        ('jobs', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='referral',
                    name='job',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='referrals', to='jobs.job'),
                ),
                migrations.AlterField(
                    model_name='referral',
                    name='original_invite',
                    field=models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='referral_made', to='jobs.invite'),
                ),
                migrations.AlterField(
                    model_name='referral',
                    name='new_invite',
                    field=models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='referral', to='jobs.invite'),
                ),
            ],
            database_operations=[],
        ),
    ]
