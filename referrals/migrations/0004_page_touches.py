"""The triggers on referrals' tables, and on the invites and jobs a referral names, that record
page touches (accounts.pagecache): a referral shows to the freelancer who made it (My referrals:
the job, the invite's answer), to the one referred (the referrer's name on the invite) and on the
job's company's pages; the beta's rollout and overrides decide who sees the referral options."""

from django.db import migrations

from accounts.migration_ops import touch_triggers


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0009_page_touches"),
        ("jobs", "0003_page_touches"),
        ("referrals", "0003_referral_referrer_newest_idx"),
    ]

    operations = [
        touch_triggers(
            "referrals_referral_touch", "referrals_referral",
            "SELECT 'u', referrer_id FROM changed UNION ALL SELECT 'u', referred_id FROM changed "
            "UNION ALL SELECT 'c', j.company_id FROM changed JOIN jobs_job j ON j.id = changed.job_id",
        ),
        touch_triggers(
            "referrals_invite_touch", "jobs_invite",
            "SELECT 'u', r.referrer_id FROM changed JOIN referrals_referral r "
            "ON r.new_invite_id = changed.id OR r.original_invite_id = changed.id",
            events=("UPDATE", "DELETE"),
        ),
        touch_triggers(
            "referrals_job_touch", "jobs_job",
            "SELECT 'u', r.referrer_id FROM changed JOIN referrals_referral r ON r.job_id = changed.id",
            events=("UPDATE", "DELETE"),
        ),
        touch_triggers("referrals_settings_touch", "referrals_referralsettings", "SELECT 'g', 0 FROM changed"),
        touch_triggers("referrals_override_touch", "referrals_betaoverride", "SELECT 'u', user_id FROM changed"),
    ]
