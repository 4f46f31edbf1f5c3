"""The Celery app: Redis broker from CELERY_BROKER_URL, tasks autodiscovered in each app.

With no broker configured (the embedded default) tasks run in-process, eagerly.
"""

import os

from celery import Celery
from celery.schedules import crontab

# Production unless told otherwise: this module is imported with the config package, so its
# default would also be the one a server gets through config.wsgi (manage.py and `make worker`
# choose the local settings themselves).
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

app = Celery("greenlight")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# The beat schedule lives in code so every deployment runs the same periodic work.
app.conf.beat_schedule = {
    "expire-stale-approval-requests": {
        "task": "approvals.tasks.expire_stale_approval_requests",
        "schedule": crontab(minute="*/5"),
    },
    "remind-approvers-before-expiry": {
        "task": "approvals.tasks.remind_approvers_before_expiry",
        "schedule": crontab(minute=15),
    },
    "escalate-overdue-approval-decisions": {
        "task": "approvals.tasks.escalate_overdue_decisions",
        "schedule": crontab(minute=45),
    },
    # The outbox relay: whatever the after-commit task did not deliver (broker down, a retry due).
    "relay-notifications": {
        "task": "accounts.tasks.relay_notifications",
        "schedule": crontab(),  # every minute
    },
    # The page cache's record of writes: one row per reader, company or everyone (a key reads
    # a scope's rows: a busy company writes thousands a minute).
    "compact-page-touches": {
        "task": "accounts.tasks.compact_page_touches",
        "schedule": crontab(),  # every minute
    },
    # The dashboards' kept tab counts: every write appends a row per person it changed.
    "compact-dashboard-counts": {
        "task": "approvals.tasks.compact_dashboard_counts",
        "schedule": crontab(),  # every minute
    },
}


@app.task(name="greenlight.ping")
def ping():
    """Answer from a worker: used by health checks and the broker round-trip test."""
    return "pong"
