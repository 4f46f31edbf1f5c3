from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "referrals"

    def ready(self):
        from accounts.backends import register_user_annotations

        from . import receivers  # noqa: F401  (connects to jobs.signals)
        from .selectors import signed_in_user_annotations

        # Whether a freelancer is in the beta, asked by the invitations and referrals pages: their
        # override is loaded with the user, not in a statement of its own.
        register_user_annotations(signed_in_user_annotations)
