from django.utils import timezone

from .timezones import zone_of


class LocalTimeMiddleware:
    """Show the request's times in the signed-in reader's zone (|date converts to the active
    zone); anonymous pages stay in UTC. Deactivated after, so a worker thread keeps no zone.

    The zone is activated in ``process_view``, after accounts.pagecache.PageCacheMiddleware's: a
    page served from the reader's cache was rendered in their zone already and loads no user."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            timezone.activate(zone_of(user))
        return None
