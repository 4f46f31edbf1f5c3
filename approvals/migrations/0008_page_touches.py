"""The triggers on approvals' tables that record page touches (accounts.pagecache): requests,
their chains, audit trail, policies and out-of-office periods show on their company's pages (the
dashboards, the request page, the top bar's count of requests awaiting a decision). The
dashboard's entries are derived from the requests and chains, so their own writes touch nothing."""

from django.db import migrations

from accounts.migration_ops import touch_triggers

BY_REQUEST = (
    "SELECT 'c', r.company_id FROM changed JOIN approvals_approvalrequest r ON r.id = changed.request_id"
)
BY_POLICY = (
    "SELECT 'c', p.company_id FROM changed JOIN approvals_approvalpolicy p ON p.id = changed.{column}"
)


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0009_page_touches"),
        ("approvals", "0007_dashboard_entries"),
    ]

    operations = [
        touch_triggers(
            "approvals_request_touch", "approvals_approvalrequest", "SELECT 'c', company_id FROM changed",
        ),
        touch_triggers("approvals_step_touch", "approvals_requeststep", BY_REQUEST),
        touch_triggers("approvals_seat_touch", "approvals_stepapprover", BY_REQUEST),
        touch_triggers("approvals_transition_touch", "approvals_approvaltransition", BY_REQUEST),
        touch_triggers(
            "approvals_outofoffice_touch", "approvals_outofoffice",
            "SELECT 'c', m.company_id FROM changed JOIN accounts_membership m "
            "ON m.user_id IN (changed.approver_id, changed.delegate_id)",
        ),
        touch_triggers(
            "approvals_policy_touch", "approvals_approvalpolicy", "SELECT 'c', company_id FROM changed",
        ),
        touch_triggers(
            "approvals_policy_contacts_touch", "approvals_approvalpolicy_escalation_contacts",
            BY_POLICY.format(column="approvalpolicy_id"),
        ),
        touch_triggers(
            "approvals_policystep_touch", "approvals_policystep", BY_POLICY.format(column="policy_id"),
        ),
        touch_triggers(
            "approvals_policystep_approvers_touch", "approvals_policystep_approvers",
            "SELECT 'c', p.company_id FROM changed JOIN approvals_policystep s ON s.id = changed.policystep_id "
            "JOIN approvals_approvalpolicy p ON p.id = s.policy_id",
        ),
    ]
