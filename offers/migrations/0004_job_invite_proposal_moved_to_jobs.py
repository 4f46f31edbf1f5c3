"""The offers app lets go of job posts, invites and proposals (the jobs app owns them now),
and records on each invite whether its freelancer was hired: an accepted offer for that job."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def record_hires(apps, schema_editor):
    Invite = apps.get_model('jobs', 'Invite')
    Offer = apps.get_model('offers', 'Offer')
    db = schema_editor.connection.alias
    accepted = Offer.objects.using(db).filter(
        job_id=OuterRef('job_id'), freelancer_id=OuterRef('freelancer_id'), state='accepted',
    ).order_by('responded_at')
    Invite.objects.using(db).filter(hired_at__isnull=True).update(
        hired_at=Subquery(accepted.values('responded_at')[:1])
    )


class Migration(migrations.Migration):

    dependencies = [
        ('offers', '0003_job_invite_proposal_tables_for_jobs'),
        ('jobs', '0001_initial'),
        ('approvals', '0003_job_from_jobs_app'),
        ('referrals', '0002_job_and_invites_from_jobs_app'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='offer',
                    name='job',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='offers', to='jobs.job'),
                ),
                migrations.DeleteModel(name='Proposal'),
                migrations.DeleteModel(name='Invite'),
                migrations.DeleteModel(name='Job'),
            ],
            database_operations=[],
        ),
        migrations.RunPython(record_hires, migrations.RunPython.noop),
    ]
