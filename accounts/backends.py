import contextlib
import contextvars

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
# takes the path from the rows read to the user ("" for users themselves, "user__" for sessions)
# and returns annotations (name: expression). The apps register in their AppConfig.ready(), as
# accounts, the lowest app, may not import them.
_user_annotations = []
_RELATED = ("membership__company", "freelancer_profile")
# Annotations read through another row (a session) carry this prefix there (signed_in_user_of).
_THROUGH = "signed_in_"


def register_user_annotations(build) -> None:
    """Load ``build(prefix)``'s annotations with the signed-in user (signed_in_users)."""
    if build not in _user_annotations:
        _user_annotations.append(build)


def _annotations(prefix: str) -> dict:
    annotations = {
        "unread_notification_count": CappedCount(unread_notifications(OuterRef(f"{prefix}pk"))),
    }
    for build in _user_annotations:
        annotations.update(build(prefix))
    return annotations


def signed_in_users():
    """The signed-in user as every page needs them, in one query: the membership and its company
    (the top bar, every client page's scope), the freelancer profile (the top bar, My Proposals),
    the number of unread notifications (the bell, up to UNREAD_CAP + 1) and what the other apps
    registered (register_user_annotations)."""
    return User.objects.select_related(*_RELATED).annotate(**_annotations(""))


def with_signed_in_user(queryset, field: str):
    """``queryset`` reading the user its ``field`` points to as signed_in_users reads them
    (signed_in_user_of gives that user): the session, in accounts.sessions."""
    prefix = f"{field}__"
    return queryset.select_related(field, *(prefix + related for related in _RELATED)).annotate(
        **{_THROUGH + name: expression for name, expression in _annotations(prefix).items()}
    )


def signed_in_user_of(row, field: str) -> User:
    """The user a row read by with_signed_in_user points to, with their annotations."""
    user = getattr(row, field)
    for name, value in vars(row).items():
        if name.startswith(_THROUGH):
            setattr(user, name.removeprefix(_THROUGH), value)
    return user


# The session being read while django.contrib.auth.get_user asks the backend for its user
# (accounts.middleware.AuthenticationMiddleware sets it around that call, and only then).
_session = contextvars.ContextVar("accounts_session", default=None)


@contextlib.contextmanager
def reading_session(session):
    token = _session.set(session)
    try:
        yield
    finally:
        _session.reset(token)


class UserBackend(ModelBackend):
    """Django's ModelBackend (email and password; inactive users cannot sign in) whose session
    lookup loads what every page needs with the user (signed_in_users) instead of in three to
    four more queries while the page renders."""

    def get_user(self, user_id):
        # The user read with the session (accounts.sessions), if it is the one asked for; else
        # read now.
        user = getattr(_session.get(), "signed_in_user", None)
        if user is None or str(user.pk) != str(user_id):
            try:
                user = signed_in_users().get(pk=user_id)
            except User.DoesNotExist:
                return None
        return user if self.user_can_authenticate(user) else None
