from django.apps import AppConfig


class ApprovalsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "approvals"

    def ready(self):
        from accounts.backends import register_user_annotations
        from accounts.context_processors import register_awaiting_decision_counter
        from accounts.notifications import register_email_context

        from . import emails
        from .selectors import awaiting_decision_label, signed_in_user_annotations

        register_awaiting_decision_counter(awaiting_decision_label)
        # Whether the user's dashboard reads its entries, asked by every approvals page and the
        # approver's top bar: loaded with the user, not in a statement of its own.
        register_user_annotations(signed_in_user_annotations)
        # The expiry sweep stores only the request's id; the relay builds the email from it.
        register_email_context(emails.EXPIRED_TEMPLATE, emails.expired_email_contexts)
