"""The session engine (settings.SESSION_ENGINE): Django's database sessions, read with the
signed-in user in one statement.

A request's first statement was its session, its second the user the session names, with their
membership, profile and counts (accounts.backends.signed_in_users). The session's row now names
its user (accounts.models.Session.user, kept on every save), so the session is read joined to
that user, with the same columns and annotations; accounts.backends.UserBackend.get_user takes
the user from there. Django's own checks are unchanged: the user named in the session's data must
be the one joined, the backend still refuses an inactive user, and django.contrib.auth.get_user
still compares the session's password hash with the user's.
"""

import logging

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.core.exceptions import SuspiciousOperation
from django.utils import timezone

from . import backends


class SessionStore(DatabaseSessionStore):
    signed_in_user = None  # the user joined to the session's row, as signed_in_users loads them

    @classmethod
    def get_model_class(cls):
        from .models import Session

        return Session

    def create_model_instance(self, data):
        instance = super().create_model_instance(data)
        try:
            instance.user_id = int(data.get(SESSION_KEY))
        except (TypeError, ValueError):
            instance.user_id = None
        return instance

    def _get_session_from_db(self):
        self.signed_in_user = None
        try:
            session = backends.with_signed_in_user(self.model.objects.all(), "user").get(
                session_key=self.session_key, expire_date__gt=timezone.now()
            )
        except (self.model.DoesNotExist, SuspiciousOperation) as error:
            if isinstance(error, SuspiciousOperation):
                logging.getLogger(f"django.security.{error.__class__.__name__}").warning(str(error))
            self._session_key = None
            return None
        if session.user_id is not None:
            self.signed_in_user = backends.signed_in_user_of(session, "user")
        return session
