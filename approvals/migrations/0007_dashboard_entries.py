"""The dashboard's entries (DashboardEntry) and the triggers that keep them; trigram indexes
for the dashboard's search.

On PostgreSQL, statement-level triggers (with transition tables, so a statement over many rows
refreshes them set-based) rebuild the entries of every request a statement inserted, updated
or deleted: requests, their steps and their approvers. Existing requests are backfilled by one
INSERT … SELECT. On any other database (SQLite, the embedded default of `make run`) the
triggers, the backfill and the trigram indexes are skipped, and the dashboard reads the chain.
"""

import django.contrib.postgres.indexes
import django.db.models.deletion
import django.db.models.functions.text
from django.conf import settings
from django.db import migrations, models

from accounts.migration_ops import AddIndexOnPostgres, RunSQLOnPostgres


# The entries of the requests ``ids``, rebuilt from the requests and their chains: one per
# person, the requester and every approver of any step; ``awaiting`` when that person has an
# undecided seat on the active step.
REFRESH = """
CREATE FUNCTION approvals_dashboard_refresh(ids bigint[]) RETURNS void LANGUAGE sql AS $$
    DELETE FROM approvals_dashboardentry WHERE request_id = ANY(ids);
    INSERT INTO approvals_dashboardentry
        (user_id, request_id, company_id, state, created_at, expires_at, awaiting, is_requester)
    SELECT people.user_id, r.id, r.company_id, r.state, r.created_at, r.expires_at,
           bool_or(people.awaiting) AND NOT bool_or(people.is_requester) AND r.state = 'pending',
           bool_or(people.is_requester)
    FROM approvals_approvalrequest r
    CROSS JOIN LATERAL (
        SELECT r.requester_id AS user_id, false AS awaiting, true AS is_requester
        UNION ALL
        SELECT seat.approver_id, seat.decision = 'pending' AND step.state = 'active', false
        FROM approvals_stepapprover seat JOIN approvals_requeststep step ON step.id = seat.step_id
        WHERE seat.request_id = r.id
    ) people
    WHERE r.id = ANY(ids)
    GROUP BY people.user_id, r.id;
$$;

CREATE FUNCTION approvals_dashboard_request_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM approvals_dashboard_refresh(ARRAY(SELECT id FROM new_rows));
    RETURN NULL;
END $$;

-- A change of state or dates is copied onto the entries (only a pending request awaits
-- anyone); a new requester rebuilds them.
CREATE FUNCTION approvals_dashboard_request_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE approvals_dashboardentry e
    SET state = n.state, created_at = n.created_at, expires_at = n.expires_at, company_id = n.company_id,
        awaiting = e.awaiting AND n.state = 'pending'
    FROM new_rows n
    WHERE e.request_id = n.id
      AND (e.state, e.created_at, e.expires_at, e.company_id)
          IS DISTINCT FROM (n.state, n.created_at, n.expires_at, n.company_id);
    PERFORM approvals_dashboard_refresh(ARRAY(
        SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE o.requester_id <> n.requester_id
    ));
    RETURN NULL;
END $$;

CREATE FUNCTION approvals_dashboard_request_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM approvals_dashboardentry WHERE request_id IN (SELECT id FROM old_rows);
    RETURN NULL;
END $$;

CREATE FUNCTION approvals_dashboard_chain_new() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM approvals_dashboard_refresh(ARRAY(SELECT DISTINCT request_id FROM new_rows));
    RETURN NULL;
END $$;

CREATE FUNCTION approvals_dashboard_chain_old() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM approvals_dashboard_refresh(ARRAY(
        SELECT DISTINCT o.request_id FROM old_rows o
        JOIN approvals_approvalrequest r ON r.id = o.request_id
    ));
    RETURN NULL;
END $$;

CREATE FUNCTION approvals_dashboard_seat_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM approvals_dashboard_refresh(ARRAY(
        SELECT n.request_id FROM new_rows n JOIN old_rows o ON o.id = n.id
        WHERE (n.decision, n.approver_id, n.step_id) IS DISTINCT FROM (o.decision, o.approver_id, o.step_id)
        UNION
        SELECT o.request_id FROM new_rows n JOIN old_rows o ON o.id = n.id
        WHERE n.request_id <> o.request_id
    ));
    RETURN NULL;
END $$;

CREATE FUNCTION approvals_dashboard_step_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM approvals_dashboard_refresh(ARRAY(
        SELECT DISTINCT n.request_id FROM new_rows n JOIN old_rows o ON o.id = n.id
        WHERE n.state IS DISTINCT FROM o.state OR n.request_id <> o.request_id
    ));
    RETURN NULL;
END $$;

CREATE TRIGGER approvals_dashboard_request_insert AFTER INSERT ON approvals_approvalrequest
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION approvals_dashboard_request_inserted();
CREATE TRIGGER approvals_dashboard_request_update AFTER UPDATE ON approvals_approvalrequest
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION approvals_dashboard_request_updated();
CREATE TRIGGER approvals_dashboard_request_delete AFTER DELETE ON approvals_approvalrequest
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
    EXECUTE FUNCTION approvals_dashboard_request_deleted();
CREATE TRIGGER approvals_dashboard_seat_insert AFTER INSERT ON approvals_stepapprover
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION approvals_dashboard_chain_new();
CREATE TRIGGER approvals_dashboard_seat_update AFTER UPDATE ON approvals_stepapprover
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION approvals_dashboard_seat_updated();
CREATE TRIGGER approvals_dashboard_seat_delete AFTER DELETE ON approvals_stepapprover
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
    EXECUTE FUNCTION approvals_dashboard_chain_old();
CREATE TRIGGER approvals_dashboard_step_update AFTER UPDATE ON approvals_requeststep
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION approvals_dashboard_step_updated();

-- Existing requests, set-based.
SELECT approvals_dashboard_refresh(ARRAY(SELECT id FROM approvals_approvalrequest));
"""

DROP = """
DROP TRIGGER approvals_dashboard_request_insert ON approvals_approvalrequest;
DROP TRIGGER approvals_dashboard_request_update ON approvals_approvalrequest;
DROP TRIGGER approvals_dashboard_request_delete ON approvals_approvalrequest;
DROP TRIGGER approvals_dashboard_seat_insert ON approvals_stepapprover;
DROP TRIGGER approvals_dashboard_seat_update ON approvals_stepapprover;
DROP TRIGGER approvals_dashboard_seat_delete ON approvals_stepapprover;
DROP TRIGGER approvals_dashboard_step_update ON approvals_requeststep;
DROP FUNCTION approvals_dashboard_request_inserted(), approvals_dashboard_request_updated(),
    approvals_dashboard_request_deleted(), approvals_dashboard_chain_new(),
    approvals_dashboard_chain_old(), approvals_dashboard_seat_updated(),
    approvals_dashboard_step_updated(),
    approvals_dashboard_refresh(bigint[]);
"""


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0008_notification_kinds_for_chains'),
        ('approvals', '0006_cancel_escalation_tolerance'),
        ('jobs', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='DashboardEntry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('state', models.CharField(max_length=20)),
                ('created_at', models.DateTimeField()),
                ('expires_at', models.DateTimeField()),
                ('awaiting', models.BooleanField(default=False)),
                ('is_requester', models.BooleanField(default=False)),
            ],
            options={
                'verbose_name_plural': 'dashboard entries',
            },
        ),
        AddIndexOnPostgres(
            model_name='approvalrequest',
            index=django.contrib.postgres.indexes.GinIndex(django.contrib.postgres.indexes.OpClass(django.db.models.functions.text.Upper('title'), name='gin_trgm_ops'), name='approval_title_trgm_idx'),
        ),
        AddIndexOnPostgres(
            model_name='approvalrequest',
            index=django.contrib.postgres.indexes.GinIndex(django.contrib.postgres.indexes.OpClass(django.db.models.functions.text.Upper('freelancer_name'), name='gin_trgm_ops'), name='approval_byo_name_trgm_idx'),
        ),
        AddIndexOnPostgres(
            model_name='approvalrequest',
            index=django.contrib.postgres.indexes.GinIndex(django.contrib.postgres.indexes.OpClass(django.db.models.functions.text.Upper('freelancer_email'), name='gin_trgm_ops'), name='approval_byo_email_trgm_idx'),
        ),
        migrations.AddField(
            model_name='dashboardentry',
            name='company',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='accounts.company'),
        ),
        migrations.AddField(
            model_name='dashboardentry',
            name='request',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='dashboard_entries', to='approvals.approvalrequest'),
        ),
        migrations.AddField(
            model_name='dashboardentry',
            name='user',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddIndex(
            model_name='dashboardentry',
            index=models.Index(fields=['user', 'company', 'state', 'awaiting', '-created_at', '-request'], include=('expires_at',), name='dashboard_entry_tab'),
        ),
        migrations.AddIndex(
            model_name='dashboardentry',
            index=models.Index(condition=models.Q(('awaiting', True), ('state', 'pending')), fields=['user', 'expires_at'], name='dashboard_entry_awaiting_exp'),
        ),
        migrations.AddConstraint(
            model_name='dashboardentry',
            constraint=models.UniqueConstraint(fields=('user', 'request'), name='dashboard_entry_unique'),
        ),
            RunSQLOnPostgres(REFRESH, DROP),
    ]
