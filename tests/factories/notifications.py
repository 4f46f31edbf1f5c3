import datetime

import factory
from django.utils import timezone

from accounts.models import Notification

__all__ = ["NotificationFactory", "notifications_for_inbox"]


class NotificationFactory(factory.django.DjangoModelFactory):
    """An inbox entry written directly, for tests that need rows rather than the email path
    (use accounts.notifications.notify to test the outbox itself)."""

    class Meta:
        model = Notification

    key = factory.Sequence(lambda n: f"test:{n}")
    kind = Notification.Kind.APPROVAL_NEW
    title = factory.Sequence(lambda n: f"Notification {n}")
    link = "/approvals/"
    email_state = Notification.EmailState.SKIPPED


def notifications_for_inbox(recipient, count: int, **kwargs) -> list[Notification]:
    """``count`` entries for one person, one minute apart, the last one the newest."""
    start = timezone.now() - datetime.timedelta(minutes=count)
    return [
        NotificationFactory(
            recipient=recipient, title=f"Entry {i}", created_at=start + datetime.timedelta(minutes=i),
            **kwargs,
        )
        for i in range(1, count + 1)
    ]
