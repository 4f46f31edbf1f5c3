"""Statistics over the dashboard entries' key columns taken together (CREATE STATISTICS: the most
common combinations of user, company, state and awaiting), so that PostgreSQL knows how many
entries await the busiest approver.

Without them it multiplied the columns' separate frequencies and expected 7 open seats where the
busiest approver at 1,000,000 requests has 5,597: a plan made with the values (the first five
runs of a statement on each connection, before its generic plan) read the Pending tab's first
page from the open seats' index, joined every one of those entries to its request and sorted
them, 71-92 ms, instead of reading 20 entries in order from the tabs' index (0.4 ms). Every
worker's first renders of that page paid it: the p99 outliers of the busiest approver's Pending
tab. PostgreSQL only (the entries' triggers are too); the statistics are gathered at once.

The most common values only: with the functional dependencies as well, the generic plan of the
search's list chose the open seats' index too (11 ms against 1 ms at 1,000,000).
"""

from django.db import migrations

from accounts.migration_ops import RunSQLOnPostgres

FORWARD = """
CREATE STATISTICS dashboard_entry_key_stats (mcv)
    ON user_id, company_id, state, awaiting FROM approvals_dashboardentry;
ANALYZE approvals_dashboardentry;
"""

BACKWARD = "DROP STATISTICS dashboard_entry_key_stats;"


class Migration(migrations.Migration):

    dependencies = [
        ("approvals", "0013_dashboard_awaiting_in_place"),
    ]

    operations = [
        RunSQLOnPostgres(FORWARD, BACKWARD),
    ]
