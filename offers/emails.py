"""One function per offer email kind. Each sends once per key (accounts.mail.send_once).

Sent, modified and withdrawn go to the freelancer (for a BYO freelancer without an account,
to the email the offer was sent to); accepted and declined go to the hiring manager who sent it.
"""

import datetime

from django.urls import reverse

from accounts.mail import absolute_url, send_once
from jobs.terms import format_money

from .models import ContractType, Offer, OfferRevision


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


def send_offer_sent(offer: Offer, *, revision: int = 1) -> bool:
    return send_once(
        key=f"offer-sent:{offer.pk}:{revision}",
        template="offers/emails/offer-sent",
        to=[_freelancer_address(offer)],
        context=_context(offer, terms=_revision(offer, revision)),
    )


def _money(terms: OfferRevision) -> str:
    per_hour = " per hour" if terms.contract_type == ContractType.HOURLY else ""
    return format_money(terms.amount, terms.currency) + per_hour


def _hours(terms: OfferRevision) -> str:
    if terms.contract_type != ContractType.HOURLY:
        return "none (fixed price)"
    return f"{terms.weekly_hour_limit} hours" if terms.weekly_hour_limit else "none"


def _date(day: datetime.date) -> str:
    return f"{day:%b} {day.day}, {day:%Y}"  # "Dec 6, 2026", as the pages show dates


def revision_changes(before: OfferRevision, after: OfferRevision) -> list[str]:
    """What a revision changed, one line per term ("Weekly limit: 30 hours → 25 hours"), so the
    freelancer sees the change itself rather than two sets of terms to compare."""
    changes = []
    if before.title != after.title:
        changes.append(f"Title: {before.title} → {after.title}")
    if before.contract_type != after.contract_type:
        changes.append(
            f"Contract: {before.get_contract_type_display()} → {after.get_contract_type_display()}"
        )
    if _money(before) != _money(after):
        changes.append(f"Amount: {_money(before)} → {_money(after)}")
    if _hours(before) != _hours(after):
        changes.append(f"Weekly limit: {_hours(before)} → {_hours(after)}")
    if before.start_date != after.start_date:
        changes.append(f"Start date: {_date(before.start_date)} → {_date(after.start_date)}")
    if before.message != after.message:
        changes.append("Message: updated (the new message is below)" if after.message else "Message: removed")
    return changes


def send_offer_modified(offer: Offer, *, revision: int) -> bool:
    terms = _revision(offer, revision)
    previous = offer.revisions.filter(number__lt=terms.number).order_by("-number").first()
    changes = revision_changes(previous, terms) if previous is not None else []
    return send_once(
        key=f"offer-modified:{offer.pk}:{revision}",
        template="offers/emails/offer-modified",
        to=[_freelancer_address(offer)],
        context=_context(offer, terms=terms, previous=previous, changes=changes),
    )


def send_offer_withdrawn(offer: Offer) -> bool:
    return send_once(
        key=f"offer-withdrawn:{offer.pk}",
        template="offers/emails/offer-withdrawn",
        to=[_freelancer_address(offer)],
        context=_context(offer),
    )


def send_offer_accepted(offer: Offer) -> bool:
    return send_once(
        key=f"offer-accepted:{offer.pk}",
        template="offers/emails/offer-accepted",
        to=[offer.created_by.email],
        context=_context(offer),
    )


def send_offer_declined(offer: Offer) -> bool:
    return send_once(
        key=f"offer-declined:{offer.pk}",
        template="offers/emails/offer-declined",
        to=[offer.created_by.email],
        context=_context(offer),
    )
