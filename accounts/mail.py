"""Links in emails."""

from django.conf import settings


def absolute_url(path: str) -> str:
    """An absolute link for an email, from SITE_URL."""
    return f"{settings.SITE_URL}{path}"
