"""What the dashboard's search matches, copied onto each entry and included in the tab index, so a
search walks the reader's entries in the index alone instead of joining each to its request.

The triggers of 0007 now also write ``search_text`` and ``freelancer_account_email`` (when a
request is created or its title or freelancer changes), and a trigger on accounts_user rewrites
them when a marketplace freelancer's name or email changes. Existing entries are backfilled by
one UPDATE. PostgreSQL only, like 0007.
"""

import importlib

from django.conf import settings
from django.db import migrations, models

from accounts.migration_ops import RunSQLOnPostgres

ENTRIES_0007 = importlib.import_module("approvals.migrations.0007_dashboard_entries")

FORWARD = r"""
CREATE FUNCTION approvals_search_text(title text, name text, byo_name text, byo_email text)
RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT concat_ws(E'\x1f', title, name, byo_name, byo_email)
$$;

CREATE OR REPLACE FUNCTION approvals_dashboard_refresh(ids bigint[]) RETURNS void LANGUAGE sql AS $$
    DELETE FROM approvals_dashboardentry WHERE request_id = ANY(ids);
    INSERT INTO approvals_dashboardentry
        (user_id, request_id, company_id, state, created_at, expires_at, awaiting, is_requester,
         search_text, freelancer_account_email)
    SELECT people.user_id, r.id, r.company_id, r.state, r.created_at, r.expires_at,
           bool_or(people.awaiting) AND NOT bool_or(people.is_requester) AND r.state = 'pending',
           bool_or(people.is_requester),
           approvals_search_text(r.title, fu.full_name, r.freelancer_name, r.freelancer_email),
           coalesce(upper(fu.email), '')
    FROM approvals_approvalrequest r
    LEFT JOIN accounts_user fu ON fu.id = r.freelancer_id
    CROSS JOIN LATERAL (
        SELECT r.requester_id AS user_id, false AS awaiting, true AS is_requester
        UNION ALL
        SELECT seat.approver_id, seat.decision = 'pending' AND step.state = 'active', false
        FROM approvals_stepapprover seat JOIN approvals_requeststep step ON step.id = seat.step_id
        WHERE seat.request_id = r.id
    ) people
    WHERE r.id = ANY(ids)
    GROUP BY people.user_id, r.id, fu.id;
$$;

-- As 0007, and a new title or freelancer rewrites what the search matches.
CREATE OR REPLACE FUNCTION approvals_dashboard_request_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE approvals_dashboardentry e
    SET state = n.state, created_at = n.created_at, expires_at = n.expires_at, company_id = n.company_id,
        awaiting = e.awaiting AND n.state = 'pending'
    FROM new_rows n
    WHERE e.request_id = n.id
      AND (e.state, e.created_at, e.expires_at, e.company_id)
          IS DISTINCT FROM (n.state, n.created_at, n.expires_at, n.company_id);
    UPDATE approvals_dashboardentry e
    SET search_text = approvals_search_text(n.title, fu.full_name, n.freelancer_name, n.freelancer_email),
        freelancer_account_email = coalesce(upper(fu.email), '')
    FROM new_rows n JOIN old_rows o ON o.id = n.id LEFT JOIN accounts_user fu ON fu.id = n.freelancer_id
    WHERE e.request_id = n.id
      AND (n.title, n.freelancer_id, n.freelancer_name, n.freelancer_email)
          IS DISTINCT FROM (o.title, o.freelancer_id, o.freelancer_name, o.freelancer_email);
    PERFORM approvals_dashboard_refresh(ARRAY(
        SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE o.requester_id <> n.requester_id
    ));
    RETURN NULL;
END $$;

CREATE FUNCTION approvals_dashboard_freelancer_renamed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE approvals_dashboardentry e
    SET search_text = approvals_search_text(r.title, n.full_name, r.freelancer_name, r.freelancer_email),
        freelancer_account_email = upper(n.email)
    FROM new_rows n JOIN old_rows o ON o.id = n.id
    JOIN approvals_approvalrequest r ON r.freelancer_id = n.id
    WHERE e.request_id = r.id AND (n.full_name, n.email) IS DISTINCT FROM (o.full_name, o.email);
    RETURN NULL;
END $$;
CREATE TRIGGER approvals_dashboard_freelancer_update AFTER UPDATE ON accounts_user
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION approvals_dashboard_freelancer_renamed();

-- Existing entries, set-based.
UPDATE approvals_dashboardentry e
SET search_text = approvals_search_text(r.title, fu.full_name, r.freelancer_name, r.freelancer_email),
    freelancer_account_email = coalesce(upper(fu.email), '')
FROM approvals_approvalrequest r LEFT JOIN accounts_user fu ON fu.id = r.freelancer_id
WHERE r.id = e.request_id;
"""

BACKWARD = """
DROP TRIGGER approvals_dashboard_freelancer_update ON accounts_user;
DROP FUNCTION approvals_dashboard_freelancer_renamed();
DROP FUNCTION approvals_dashboard_refresh(bigint[]);
DROP FUNCTION approvals_dashboard_request_updated() CASCADE;
""" + "\n".join(
    # 0007's functions and the request's update trigger, as they were.
    part for part in ENTRIES_0007.REFRESH.split("\n\n") if "approvals_dashboard_refresh(ids" in part
    or "approvals_dashboard_request_updated() RETURNS" in part
) + """
CREATE TRIGGER approvals_dashboard_request_update AFTER UPDATE ON approvals_approvalrequest
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION approvals_dashboard_request_updated();
DROP FUNCTION approvals_search_text(text, text, text, text);
"""


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0009_page_touches'),
        ('approvals', '0008_page_touches'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='dashboardentry',
            name='dashboard_entry_tab',
        ),
        migrations.AddField(
            model_name='dashboardentry',
            name='freelancer_account_email',
            field=models.CharField(blank=True, default='', max_length=254),
        ),
        migrations.AddField(
            model_name='dashboardentry',
            name='search_text',
            field=models.TextField(blank=True, default=''),
        ),
        RunSQLOnPostgres(FORWARD, BACKWARD),
        migrations.AddIndex(
            model_name='dashboardentry',
            index=models.Index(fields=['user', 'company', 'state', 'awaiting', '-created_at', '-request'], include=('expires_at', 'search_text', 'freelancer_account_email'), name='dashboard_entry_tab'),
        ),
    ]
