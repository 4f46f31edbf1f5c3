"""The triggers on offers' tables that record page touches (accounts.pagecache): an offer shows on
its company's pages (the offer list, the request page) and on its freelancer's, whether the
freelancer is named by account or, for a BYO offer, by email; a job's title on the offers made
for it."""

from django.db import migrations

from accounts.migration_ops import touch_triggers

FREELANCERS = (
    "SELECT 'u', {offer}.freelancer_id FROM {source} "
    "UNION ALL SELECT 'u', u.id FROM {source} JOIN accounts_user u "
    "ON UPPER(u.email) = UPPER({offer}.freelancer_email) WHERE {offer}.freelancer_id IS NULL "
    "AND {offer}.freelancer_email <> ''"
)


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0009_page_touches"),
        ("jobs", "0003_page_touches"),
        ("offers", "0006_offer_list_indexes"),
    ]

    operations = [
        touch_triggers(
            "offers_offer_touch", "offers_offer",
            "SELECT 'c', company_id FROM changed UNION ALL "
            + FREELANCERS.format(offer="changed", source="changed"),
        ),
        touch_triggers(
            "offers_revision_touch", "offers_offerrevision",
            "SELECT 'c', o.company_id FROM changed JOIN offers_offer o ON o.id = changed.offer_id UNION ALL "
            + FREELANCERS.format(offer="o", source="changed JOIN offers_offer o ON o.id = changed.offer_id"),
        ),
        touch_triggers(
            "offers_job_touch", "jobs_job",
            FREELANCERS.format(offer="o", source="changed JOIN offers_offer o ON o.job_id = changed.id"),
            events=("UPDATE", "DELETE"),
        ),
    ]
