"""The triggers on jobs' tables that record page touches (accounts.pagecache): a job's change shows
on its company's pages and in the invitations of everyone invited to it; an invite or a proposal
on its company's pages and its freelancer's."""

from django.db import migrations

from accounts.migration_ops import touch_triggers


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0009_page_touches"),
        ("jobs", "0002_invite_list_indexes"),
    ]

    operations = [
        touch_triggers(
            "jobs_job_touch", "jobs_job",
            "SELECT 'c', company_id FROM changed "
            "UNION ALL SELECT 'u', i.freelancer_id FROM changed JOIN jobs_invite i ON i.job_id = changed.id",
        ),
        touch_triggers(
            "jobs_invite_touch", "jobs_invite",
            "SELECT 'u', freelancer_id FROM changed "
            "UNION ALL SELECT 'c', j.company_id FROM changed JOIN jobs_job j ON j.id = changed.job_id",
        ),
        touch_triggers(
            "jobs_proposal_touch", "jobs_proposal",
            "SELECT 'u', freelancer_id FROM changed "
            "UNION ALL SELECT 'c', j.company_id FROM changed JOIN jobs_job j ON j.id = changed.job_id",
        ),
    ]
