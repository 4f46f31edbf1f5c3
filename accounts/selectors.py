"""Reads on accounts shared by every app."""

from django.db.models import QuerySet

from .models import User


def marketplace_freelancers() -> QuerySet:
    """Active freelancers on the marketplace, by name: whom a request, offer or invite can name."""
    return (
        User.objects.filter(freelancer_profile__isnull=False, is_active=True)
        .select_related("freelancer_profile")
        .order_by("full_name", "email")
    )
