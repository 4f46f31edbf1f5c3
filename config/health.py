from django.apps import apps
from django.conf import settings
from django.db import connection
from django.db.models import Count, Min
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache


def _database_ok():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        return False


def _broker_ok():
    """None when no broker is configured (tasks run in-process)."""
    if not settings.CELERY_BROKER_URL or settings.CELERY_TASK_ALWAYS_EAGER:
        return None
    from config.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return True
    except Exception:
        return False


def _notification_backlog(database_ok: bool) -> dict | None:
    """Emails not delivered yet (pending, or in flight) and the age of the oldest, in seconds.

    Read through the app registry: config sits below the apps and imports none of them.
    """
    if not database_ok:
        return None
    notification = apps.get_model("accounts", "Notification")
    backlog = notification.objects.filter(email_state__in=["pending", "sending"]).aggregate(
        count=Count("id"), oldest=Min("created_at")
    )
    oldest = backlog["oldest"]
    age = int((timezone.now() - oldest).total_seconds()) if oldest else 0
    return {
        "undelivered": backlog["count"],
        "oldest_age_seconds": age,
        "ok": age <= settings.NOTIFICATION_BACKLOG_MAX_AGE,
    }


@never_cache
def healthz(request):
    """200 when the database (and the broker, when configured) answer and no notification has
    waited longer than NOTIFICATION_BACKLOG_MAX_AGE seconds for its email; 503 otherwise."""
    checks = {"database": _database_ok()}
    broker = _broker_ok()
    if broker is not None:
        checks["broker"] = broker
    backlog = _notification_backlog(checks["database"])
    healthy = all(checks.values()) and (backlog is None or backlog["ok"])
    status = "ok" if healthy else "unavailable"
    body = {"status": status, **checks}
    if backlog is not None:
        body["notifications"] = backlog
    return JsonResponse(body, status=200 if healthy else 503)
