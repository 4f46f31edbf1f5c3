from django.contrib import auth
from django.contrib.auth.middleware import AuthenticationMiddleware as DjangoAuthenticationMiddleware
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from .backends import reading_session
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


class AuthenticationMiddleware(DjangoAuthenticationMiddleware):
    """Django's, whose request.user is the user read with the session (accounts.sessions) when the
    session names them: django.contrib.auth.get_user, with its checks, asks the backend for the
    user while the session is at hand (accounts.backends.reading_session)."""

    def process_request(self, request):
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: _signed_in_user(request))


def _signed_in_user(request):
    if not hasattr(request, "_cached_user"):
        with reading_session(request.session):
            request._cached_user = auth.get_user(request)
    return request._cached_user
