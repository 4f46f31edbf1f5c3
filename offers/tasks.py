"""Thin Celery tasks for offer emails: load the offer, check it is still in the state the
email is about, then call offers.emails (which sends once per key)."""

from celery import shared_task

from accounts.tasks import EMAIL_TASK_OPTIONS

from . import emails
from .models import Offer


def _offer(offer_id: int) -> Offer | None:
    return (
        Offer.objects.select_related("company", "created_by", "freelancer", "job")
        .filter(pk=offer_id)
        .first()
    )


@shared_task(**EMAIL_TASK_OPTIONS)
def send_offer_sent_email(offer_id: int, revision: int) -> bool:
    offer = _offer(offer_id)
    if offer is None or offer.state != Offer.State.SENT:
        return False  # withdrawn before the email went out: nothing to announce
    return emails.send_offer_sent(offer, revision=revision)


@shared_task(**EMAIL_TASK_OPTIONS)
def send_offer_modified_email(offer_id: int, revision: int) -> bool:
    offer = _offer(offer_id)
    if offer is None or offer.state != Offer.State.SENT:
        return False
    return emails.send_offer_modified(offer, revision=revision)


@shared_task(**EMAIL_TASK_OPTIONS)
def send_offer_withdrawn_email(offer_id: int) -> bool:
    offer = _offer(offer_id)
    if offer is None or offer.state != Offer.State.WITHDRAWN:
        return False
    return emails.send_offer_withdrawn(offer)


@shared_task(**EMAIL_TASK_OPTIONS)
def send_offer_accepted_email(offer_id: int) -> bool:
    offer = _offer(offer_id)
    if offer is None or offer.state != Offer.State.ACCEPTED:
        return False
    return emails.send_offer_accepted(offer)


@shared_task(**EMAIL_TASK_OPTIONS)
def send_offer_declined_email(offer_id: int) -> bool:
    offer = _offer(offer_id)
    if offer is None or offer.state != Offer.State.DECLINED:
        return False
    return emails.send_offer_declined(offer)
