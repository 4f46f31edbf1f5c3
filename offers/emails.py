"""One function per offer email kind. Each sends once per key (accounts.mail.send_once).

Sent, modified and withdrawn go to the freelancer (for a BYO freelancer without an account,
to the email the offer was sent to); accepted and declined go to the hiring manager who sent it.
"""

from django.urls import reverse

from accounts.mail import absolute_url, send_once

from .models import Offer, OfferRevision


def _freelancer_address(offer: Offer) -> str:
    return offer.freelancer.email if offer.freelancer_id else offer.freelancer_email


def _context(offer: Offer, **extra) -> dict:
    return {
        "offer": offer,
        "company": offer.company,
        "manager": offer.created_by,
        "freelancer_name": offer.freelancer_display,
        "has_account": offer.freelancer_id is not None,
        "offer_url": absolute_url(reverse("offers:offer_detail", args=[offer.pk])),
        **extra,
    }


def _revision(offer: Offer, number: int) -> OfferRevision:
    return offer.revisions.filter(number=number).first() or offer.revisions.order_by("-number").first()


def offer_sent(offer: Offer, *, revision: int = 1) -> bool:
    return send_once(
        key=f"offer-sent:{offer.pk}:{revision}",
        template="offers/emails/offer-sent",
        to=[_freelancer_address(offer)],
        context=_context(offer, terms=_revision(offer, revision)),
    )


def offer_modified(offer: Offer, *, revision: int) -> bool:
    terms = _revision(offer, revision)
    previous = offer.revisions.filter(number__lt=terms.number).order_by("-number").first()
    return send_once(
        key=f"offer-modified:{offer.pk}:{revision}",
        template="offers/emails/offer-modified",
        to=[_freelancer_address(offer)],
        context=_context(offer, terms=terms, previous=previous),
    )


def offer_withdrawn(offer: Offer) -> bool:
    return send_once(
        key=f"offer-withdrawn:{offer.pk}",
        template="offers/emails/offer-withdrawn",
        to=[_freelancer_address(offer)],
        context=_context(offer),
    )


def offer_accepted(offer: Offer) -> bool:
    return send_once(
        key=f"offer-accepted:{offer.pk}",
        template="offers/emails/offer-accepted",
        to=[offer.created_by.email],
        context=_context(offer),
    )


def offer_declined(offer: Offer) -> bool:
    return send_once(
        key=f"offer-declined:{offer.pk}",
        template="offers/emails/offer-declined",
        to=[offer.created_by.email],
        context=_context(offer),
    )
