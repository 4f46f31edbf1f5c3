from django.apps import AppConfig


class ApprovalsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "approvals"

    def ready(self):
        from accounts.context_processors import register_awaiting_decision_counter

        from .selectors import awaiting_decision_count

        register_awaiting_decision_counter(awaiting_decision_count)
