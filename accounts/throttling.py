"""Sign-in throttling on django-axes: who gets locked out, and the page they see.

An account is locked from one address after AXES_FAILURE_LIMIT failures, never everywhere, so
nobody can lock a real user out by typing their email with wrong passwords. An address that
fails SIGN_IN_FAILURES_PER_ADDRESS times over any accounts (password spraying) is locked for
every account. Both last AXES_COOLOFF_TIME. The lockout page is the same whether the email
belongs to an account or not. Staff unlock by deleting the attempt in Admin > Axes.
"""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.shortcuts import render


def client_address(request) -> str:
    """The address the outermost of our TRUSTED_PROXY_COUNT proxies saw the request come from.

    Behind a proxy REMOTE_ADDR is the proxy, shared by everyone; each proxy appends the address
    it saw to X-Forwarded-For, and anything further left was written by the client itself.
    """
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if count and len(forwarded) >= count and forwarded[-count]:
        return forwarded[-count]
    return request.META.get("REMOTE_ADDR", "")


def sign_in_email(request, credentials) -> str:
    """The email as the sign-in form reads it, so "Ada@X.test " and "ada@x.test" count as one."""
    source = credentials if credentials is not None else request.POST
    return (source.get("username") or "").strip().lower()


class SignInThrottle(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None) -> int:
        this_account = super().get_failures(request, credentials)
        from_address = AccessAttempt.objects.filter(
            ip_address=request.axes_ip_address, attempt_time__gte=get_cool_off_threshold(request)
        ).aggregate(total=Sum("failures_since_start"))["total"] or 0
        if from_address >= settings.SIGN_IN_FAILURES_PER_ADDRESS:
            return max(this_account, from_address)
        return this_account


def lockout_response(request, original_response=None, credentials=None):
    minutes = int(get_cool_off(request).total_seconds() // 60) or 1
    return render(
        request, "accounts/locked.html", {"minutes": minutes}, status=settings.AXES_HTTP_RESPONSE_CODE
    )
