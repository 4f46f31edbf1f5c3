"""The dashboard's tab counts kept as they change (DashboardCount), instead of counted on every
page from the entries (up to 1,001 index entries a tab for a busy approver).

Statement-level triggers on approvals_dashboardentry (with transition tables, so a statement over
100,000 entries appends a handful of rows) append, for each (user, company, state, awaiting) a
statement changed, how many entries it added or removed. Every write of the entries goes through
them: the refresh function's insert, update and delete (0010), Django's cascades, a TRUNCATE.
Existing entries are counted into one row per key, under a lock that holds off writers between
the count and the triggers. PostgreSQL only, like 0007: elsewhere the table stays empty. The
index of open seats by deadline gains the company and the state, for the seats the kept count
takes off.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from accounts.migration_ops import RunSQLOnPostgres

COUNT_KEY = "user_id, company_id, state, awaiting"

FORWARD = f"""
LOCK TABLE approvals_dashboardentry IN SHARE ROW EXCLUSIVE MODE;

CREATE FUNCTION approvals_dashboard_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO approvals_dashboardcount ({COUNT_KEY}, n)
        SELECT {COUNT_KEY}, count(*) FROM new_rows GROUP BY {COUNT_KEY};
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO approvals_dashboardcount ({COUNT_KEY}, n)
        SELECT {COUNT_KEY}, -count(*) FROM old_rows GROUP BY {COUNT_KEY};
    ELSE
        -- Most updates change what a count does not read (dates, the search's words): they
        -- add up to nothing and append nothing.
        INSERT INTO approvals_dashboardcount ({COUNT_KEY}, n)
        SELECT {COUNT_KEY}, sum(n) FROM (
            SELECT {COUNT_KEY}, 1 AS n FROM new_rows
            UNION ALL
            SELECT {COUNT_KEY}, -1 FROM old_rows
        ) AS changed
        GROUP BY {COUNT_KEY} HAVING sum(n) <> 0;
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION approvals_dashboard_count_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM approvals_dashboardcount;
    RETURN NULL;
END $$;

CREATE TRIGGER approvals_dashboard_count_ins AFTER INSERT ON approvals_dashboardentry
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION approvals_dashboard_count();
CREATE TRIGGER approvals_dashboard_count_upd AFTER UPDATE ON approvals_dashboardentry
    REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION approvals_dashboard_count();
CREATE TRIGGER approvals_dashboard_count_del AFTER DELETE ON approvals_dashboardentry
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION approvals_dashboard_count();
CREATE TRIGGER approvals_dashboard_count_trunc AFTER TRUNCATE ON approvals_dashboardentry
    FOR EACH STATEMENT EXECUTE FUNCTION approvals_dashboard_count_truncated();

INSERT INTO approvals_dashboardcount ({COUNT_KEY}, n)
SELECT {COUNT_KEY}, count(*) FROM approvals_dashboardentry GROUP BY {COUNT_KEY};
"""

BACKWARD = """
DROP TRIGGER IF EXISTS approvals_dashboard_count_ins ON approvals_dashboardentry;
DROP TRIGGER IF EXISTS approvals_dashboard_count_upd ON approvals_dashboardentry;
DROP TRIGGER IF EXISTS approvals_dashboard_count_del ON approvals_dashboardentry;
DROP TRIGGER IF EXISTS approvals_dashboard_count_trunc ON approvals_dashboardentry;
DROP FUNCTION IF EXISTS approvals_dashboard_count();
DROP FUNCTION IF EXISTS approvals_dashboard_count_truncated();
"""


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0009_page_touches"),
        ("approvals", "0010_dashboard_refresh_in_place"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The open seats past their deadline, by company and state too: the kept awaiting count
        # takes them off, reading this index alone, and a prepared statement's generic plan (the
        # state a parameter) can use it: its condition is the flag alone, which only a pending
        # request's entry carries.
        migrations.RemoveIndex(model_name="dashboardentry", name="dashboard_entry_awaiting_exp"),
        migrations.AddIndex(
            model_name="dashboardentry",
            index=models.Index(
                condition=models.Q(("awaiting", True)),
                fields=["user", "company", "state", "expires_at"], name="dashboard_entry_open_seats",
            ),
        ),
        migrations.CreateModel(
            name="DashboardCount",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("state", models.CharField(max_length=20)),
                ("awaiting", models.BooleanField(default=False)),
                ("n", models.IntegerField(help_text="Entries added (or, negative, removed) by one statement.")),
                ("company", models.ForeignKey(
                    db_constraint=False, db_index=False, on_delete=django.db.models.deletion.DO_NOTHING,
                    related_name="+", to="accounts.company",
                )),
                ("user", models.ForeignKey(
                    db_constraint=False, db_index=False, on_delete=django.db.models.deletion.DO_NOTHING,
                    related_name="+", to=settings.AUTH_USER_MODEL,
                )),
            ],
            options={
                "indexes": [
                    models.Index(fields=["user", "company", "state", "awaiting"], include=("n",),
                                 name="dashboard_count_key"),
                ],
            },
        ),
        RunSQLOnPostgres(FORWARD, BACKWARD),
    ]
