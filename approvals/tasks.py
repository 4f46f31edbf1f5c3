"""Beat tasks: thin wrappers around the set-based services.

Approval emails are not tasks any more: the services write notifications in their
transaction and accounts.tasks delivers them.
"""

from celery import shared_task

from . import services


@shared_task
def expire_stale_approval_requests() -> int:
    return services.approval_requests_expire_stale()


@shared_task
def escalate_overdue_decisions() -> int:
    return len(services.approval_steps_escalate_overdue())


@shared_task
def remind_approvers_before_expiry() -> int:
    return len(services.approval_requests_mark_for_reminder())


@shared_task
def compact_dashboard_counts() -> int:
    """Beat, every minute: one DashboardCount row per person, state and flag (the tab counts
    add up a few rows). Returns how many it folded."""
    return services.dashboard_counts_compact()
