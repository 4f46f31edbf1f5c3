from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo data command: it sits above every app, so it may import them all."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "demo"
