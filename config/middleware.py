from django.conf import settings
from django.template.loader import render_to_string


class PermissionsPolicyMiddleware:
    """Send the Permissions-Policy header from settings.PERMISSIONS_POLICY (feature -> allowlist)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = ", ".join(
            f"{feature}={allowlist}" for feature, allowlist in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", self.header)
        return response


class FriendlyMethodNotAllowedMiddleware:
    """Give the empty 405 of @require_POST views a page that says what to do.

    People reach POST-only addresses by reloading or from their history; nothing changed, and
    the page tells them to use the button instead of showing a blank screen.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 405 and not response.content:
            response.content = render_to_string("405.html", request=request)
            response["Content-Type"] = "text/html; charset=utf-8"
        return response
