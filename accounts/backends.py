from django.contrib.auth.backends import ModelBackend
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce

from .models import Notification, User


def signed_in_users():
    """The signed-in user as every page needs them, in one query: the membership and its company
    (the top bar, every client page's scope), the freelancer profile (the top bar, My Proposals)
    and the number of unread notifications (the bell; served by notification_unread_idx)."""
    unread = (
        Notification.objects.filter(recipient_id=OuterRef("pk"), read_at__isnull=True)
        .order_by().values("recipient_id").annotate(count=Count("pk")).values("count")
    )
    return User.objects.select_related("membership__company", "freelancer_profile").annotate(
        unread_notification_count=Coalesce(Subquery(unread), 0)
    )


class UserBackend(ModelBackend):
    """Django's ModelBackend (email and password; inactive users cannot sign in) whose session
    lookup loads what every page needs with the user (signed_in_users) instead of in three to
    four more queries while the page renders."""

    def get_user(self, user_id):
        try:
            user = signed_in_users().get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
