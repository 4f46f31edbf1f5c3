"""Sending templated email exactly once.

Every notification in Greenlight is rendered from three templates,
``<template>-subject.html``, ``<template>-body-text.html`` and ``<template>-body-html.html``,
and sent through Django's email backend (django-anymail in production). ``send_once``
records each message under a key (``"approval-new:42"``), so a Celery task that is
retried or redelivered never sends the same message twice.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from .models import SentEmail


def absolute_url(path: str) -> str:
    """An absolute link for an email, from SITE_URL."""
    return f"{settings.SITE_URL}{path}"


def _provider_message_id(message) -> str:
    """The provider's id for a sent message: anymail gives one id, a set of ids (one per
    recipient) or None, and some providers' ids are not strings."""
    message_id = getattr(getattr(message, "anymail_status", None), "message_id", None)
    if isinstance(message_id, set | frozenset | list | tuple):
        return ",".join(sorted(str(part) for part in message_id))
    return "" if message_id is None else str(message_id)


def send_once(*, key: str, template: str, to: list[str], context: dict) -> bool:
    """Render and send the email unless one with this key was already sent.

    Returns True when this call sent it. The row is locked while sending so two deliveries
    of the same task cannot both send; if the provider fails, the transaction rolls back
    and the task's retry sends it again.
    """
    context = {"site_url": settings.SITE_URL, **context}
    with transaction.atomic():
        record, _ = SentEmail.objects.select_for_update().get_or_create(
            key=key, defaults={"kind": template, "to": ", ".join(to)}
        )
        if record.sent_at is not None:
            return False
        subject = " ".join(render_to_string(f"{template}-subject.html", context).split())
        text = render_to_string(f"{template}-body-text.html", context)
        html = render_to_string(f"{template}-body-html.html", context)
        message = EmailMultiAlternatives(subject=subject, body=text, to=to)
        message.attach_alternative(html, "text/html")
        message.send()
        record.subject = subject
        record.message_id = _provider_message_id(message)[:300]
        record.sent_at = timezone.now()
        record.save(update_fields=["subject", "message_id", "sent_at"])
    return True
