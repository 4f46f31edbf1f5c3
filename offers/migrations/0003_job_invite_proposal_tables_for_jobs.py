"""Job posts, invites and proposals move to the jobs app: first their tables take jobs' names.

The rows stay where they are; only the table and index names change. jobs.0001 then takes the
models over in Django's state, and offers.0004 lets go of them.
"""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('offers', '0002_offer_offerrevision_and_more'),
    ]

    operations = [
        migrations.AlterModelTable(name='job', table='jobs_job'),
        migrations.AlterModelTable(name='invite', table='jobs_invite'),
        migrations.AlterModelTable(name='proposal', table='jobs_proposal'),
        migrations.RenameIndex(
            model_name='job', new_name='job_company_newest_idx', old_name='offers_job_company_01362a_idx',
        ),
    ]
