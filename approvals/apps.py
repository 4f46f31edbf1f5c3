from django.apps import AppConfig


class ApprovalsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "approvals"

    def ready(self):
        from accounts.context_processors import register_awaiting_decision_counter
        from accounts.notifications import register_email_context

        from . import emails
        from .selectors import awaiting_decision_label

        register_awaiting_decision_counter(awaiting_decision_label)
        # The expiry sweep stores only the request's id; the relay builds the email from it.
        register_email_context(emails.EXPIRED_TEMPLATE, emails.expired_email_contexts)
