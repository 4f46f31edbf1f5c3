"""The dashboard entries of a request are brought up to date in place instead of rebuilt.

0007 and 0009 refreshed a request's entries by deleting them all and inserting them again, on
every statement that changed its chain: a decision (four UPDATEs) rewrote each entry of the
request three times, with every index of the table and, at commit, three foreign-key checks per
row written. Now the wanted entries are compared with those there: only an entry whose values
changed is updated (a decision changes one person's ``awaiting`` flag, or those of its step),
only a new person's entry is inserted and only a person no longer on the request loses theirs.
The function is PL/pgSQL, so its plans are kept for the connection rather than made on every
call, and it returns at once when a statement changed nothing it shows. PostgreSQL only, like
0007.
"""

import importlib

from django.db import migrations

from accounts.migration_ops import RunSQLOnPostgres

SEARCH_0009 = importlib.import_module("approvals.migrations.0009_dashboard_entry_search")

FORWARD = r"""
CREATE OR REPLACE FUNCTION approvals_dashboard_refresh(ids bigint[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF cardinality(ids) = 0 THEN
        RETURN;
    END IF;
    WITH wanted AS MATERIALIZED (
        SELECT people.user_id, r.id AS request_id, r.company_id, r.state, r.created_at, r.expires_at,
               bool_or(people.awaiting) AND NOT bool_or(people.is_requester) AND r.state = 'pending'
                   AS awaiting,
               bool_or(people.is_requester) AS is_requester,
               approvals_search_text(r.title, fu.full_name, r.freelancer_name, r.freelancer_email)
                   AS search_text,
               coalesce(upper(fu.email), '') AS freelancer_account_email
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
        GROUP BY people.user_id, r.id, fu.id
    ), gone AS (
        DELETE FROM approvals_dashboardentry e
        WHERE e.request_id = ANY(ids)
          AND NOT EXISTS (SELECT FROM wanted w WHERE w.user_id = e.user_id AND w.request_id = e.request_id)
    )
    INSERT INTO approvals_dashboardentry AS e
        (user_id, request_id, company_id, state, created_at, expires_at, awaiting, is_requester,
         search_text, freelancer_account_email)
    SELECT user_id, request_id, company_id, state, created_at, expires_at, awaiting, is_requester,
           search_text, freelancer_account_email
    FROM wanted
    ON CONFLICT (user_id, request_id) DO UPDATE SET
        company_id = excluded.company_id, state = excluded.state, created_at = excluded.created_at,
        expires_at = excluded.expires_at, awaiting = excluded.awaiting,
        is_requester = excluded.is_requester, search_text = excluded.search_text,
        freelancer_account_email = excluded.freelancer_account_email
    WHERE (e.company_id, e.state, e.created_at, e.expires_at, e.awaiting, e.is_requester,
           e.search_text, e.freelancer_account_email)
          IS DISTINCT FROM (excluded.company_id, excluded.state, excluded.created_at,
                            excluded.expires_at, excluded.awaiting, excluded.is_requester,
                            excluded.search_text, excluded.freelancer_account_email);
END $$;
"""

# 0009's function, as it was.
BACKWARD = next(
    part for part in SEARCH_0009.FORWARD.split("\n\n") if "approvals_dashboard_refresh(ids" in part
)


class Migration(migrations.Migration):

    dependencies = [
        ("approvals", "0009_dashboard_entry_search"),
    ]

    operations = [
        RunSQLOnPostgres(FORWARD, BACKWARD),
    ]
