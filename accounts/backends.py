import functools

from django.contrib.auth.backends import ModelBackend
from django.db.models import OuterRef, QuerySet

from .models import Notification, User
from .pagination import CappedCount

# The bell counts unread notifications this far ("99+"): an approver at a million requests has
# thousands unread, and counting them all on every page would grow with them.
UNREAD_CAP = 99


def unread_notifications(user_id) -> QuerySet:
    """The user's unread notifications, as far as the bell counts them (served by the partial
    index notification_unread_idx)."""
    return Notification.objects.filter(recipient_id=user_id, read_at__isnull=True).order_by().values("pk")[
        :UNREAD_CAP + 1
    ]


# What other apps' pages ask of every signed-in user, loaded with them: each registered function
# returns annotations (name: expression over the user's row). The apps register in their
# AppConfig.ready(), as accounts, the lowest app, may not import them.
_user_annotations = []


def register_user_annotations(build) -> None:
    """Load ``build()``'s annotations with the signed-in user (signed_in_users).

    ``build()`` is called once per process, not per request (signed_in_users): its expressions
    must not hold the time they were built at; ask the database for it (``Now()``)."""
    if build not in _user_annotations:
        _user_annotations.append(build)
        _signed_in_users.cache_clear()


def signed_in_users():
    """The signed-in user as every page needs them, in one query: the membership and its company
    (the top bar, every client page's scope), the freelancer profile (the top bar, My Proposals),
    the number of unread notifications (the bell, up to UNREAD_CAP + 1) and what the other apps
    registered (register_user_annotations)."""
    return _signed_in_users().all()


@functools.cache
def _signed_in_users():
    # Built once per process and copied for each lookup (all()): building and resolving the
    # annotations' subqueries cost half of loading the user, about 1 ms of every signed-in
    # request that renders or posts. Never evaluated itself, so it holds no rows.
    annotations = {"unread_notification_count": CappedCount(unread_notifications(OuterRef("pk")))}
    for build in _user_annotations:
        annotations.update(build())
    return User.objects.select_related("membership__company", "freelancer_profile").annotate(**annotations)


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
