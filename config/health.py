from django.conf import settings
from django.db import connection
from django.http import JsonResponse
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


@never_cache
def healthz(request):
    """200 when the database (and the broker, when configured) answer; 503 otherwise."""
    checks = {"database": _database_ok()}
    broker = _broker_ok()
    if broker is not None:
        checks["broker"] = broker
    healthy = all(checks.values())
    status = "ok" if healthy else "unavailable"
    return JsonResponse({"status": status, **checks}, status=200 if healthy else 503)
