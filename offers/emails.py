"""One function per offer notification. Each writes the notification in the caller's
transaction (accounts.notifications.notify); the relay emails it after commit.

Sent, modified and withdrawn go to the freelancer (for a BYO freelancer without an account, to
the email the offer was sent to: email only, no inbox); accepted and declined go to the hiring
manager who sent it. The context holds plain values computed now, so the email says what was
true when the event happened.
"""

import datetime

from django.urls import reverse

from accounts.mail import absolute_url
from accounts.models import Notification
from accounts.notifications import cancel_pending_emails, notify
from jobs.terms import format_money

from .models import ContractType, Offer, OfferRevision

Kind = Notification.Kind


def _date(day: datetime.date) -> str:
    return f"{day:%b} {day.day}, {day:%Y}"  # "Dec 6, 2026", as the pages show dates


def _to_freelancer(offer: Offer) -> dict:
    if offer.freelancer_id:
        return {"recipient": offer.freelancer}
    return {"email": offer.freelancer_email}


def _link(offer: Offer) -> str:
    return reverse("offers:offer_detail", args=[offer.pk])


def _context(offer: Offer, **extra) -> dict:
    return {
        "offer": {
            "id": offer.pk,
            "title": offer.title,
            "amount": format_money(offer.amount, offer.currency),
            "contract_type": offer.contract_type,
            "start_date": _date(offer.start_date),
            "freelancer_email": offer.freelancer_email,
            "offer_type_for_freelancer": offer.offer_type_for_freelancer,
            "decline_reason": offer.decline_reason,
            "approval_request_id": offer.approval_request_id,
        },
        "company": {"name": offer.company.name},
        "manager": {"name": str(offer.created_by), "short_name": offer.created_by.get_short_name()},
        "freelancer_name": offer.freelancer_display,
        "has_account": offer.freelancer_id is not None,
        "offer_url": absolute_url(_link(offer)),
        **extra,
    }


def _terms(terms: OfferRevision) -> dict:
    return {
        "number": terms.number,
        "title": terms.title,
        "contract_type": terms.contract_type,
        "contract_type_display": terms.get_contract_type_display(),
        "amount": format_money(terms.amount, terms.currency),
        "weekly_hour_limit": terms.weekly_hour_limit,
        "start_date": _date(terms.start_date),
        "message": terms.message,
    }


def _revision(offer: Offer, number: int) -> OfferRevision:
    return offer.revisions.filter(number=number).first() or offer.revisions.order_by("-number").first()


def _money(terms: OfferRevision) -> str:
    per_hour = " per hour" if terms.contract_type == ContractType.HOURLY else ""
    return f"{format_money(terms.amount, terms.currency)}{per_hour}"


def _hours(terms: OfferRevision) -> str:
    if terms.contract_type != ContractType.HOURLY:
        return "none (fixed price)"
    return f"{terms.weekly_hour_limit} hours" if terms.weekly_hour_limit else "none"


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


def send_offer_sent(offer: Offer, *, revision: int = 1) -> Notification:
    """To the freelancer: the offer and its terms, with a link to accept or decline."""
    terms = _revision(offer, revision)
    return notify(
        key=f"offer-sent:{offer.pk}:{revision}",
        kind=Kind.OFFER_SENT,
        **_to_freelancer(offer),
        title=f"{offer.company.name} sent you an offer: {terms.title}",
        link=_link(offer),
        template="offers/emails/offer-sent",
        context=_context(offer, terms=_terms(terms)),
    )


def send_offer_modified(offer: Offer, *, revision: int) -> Notification:
    """To the freelancer: the new revision, with what changed since the previous one."""
    terms = _revision(offer, revision)
    previous = offer.revisions.filter(number__lt=terms.number).order_by("-number").first()
    changes = revision_changes(previous, terms) if previous is not None else []
    return notify(
        key=f"offer-modified:{offer.pk}:{revision}",
        kind=Kind.OFFER_MODIFIED,
        **_to_freelancer(offer),
        title=f"{offer.company.name} changed its offer: {terms.title}",
        link=_link(offer),
        template="offers/emails/offer-modified",
        context=_context(
            offer, terms=_terms(terms), previous={"number": previous.number} if previous else None,
            changes=changes,
        ),
    )


def send_offer_withdrawn(offer: Offer) -> Notification:
    """To the freelancer. Announcements of this offer not emailed yet are not sent any more:
    the freelancer would be asked to answer an offer that is gone."""
    cancel_pending_emails(
        key_prefixes=[f"offer-sent:{offer.pk}:", f"offer-modified:{offer.pk}:"]
    )
    return notify(
        key=f"offer-withdrawn:{offer.pk}",
        kind=Kind.OFFER_WITHDRAWN,
        **_to_freelancer(offer),
        title=f"{offer.company.name} withdrew its offer: {offer.title}",
        link=_link(offer),
        template="offers/emails/offer-withdrawn",
        context=_context(offer),
    )


def send_offer_accepted(offer: Offer) -> Notification:
    """To the hiring manager who sent it: the contract is on."""
    return notify(
        key=f"offer-accepted:{offer.pk}",
        kind=Kind.OFFER_ACCEPTED,
        recipient=offer.created_by,
        title=f"{offer.freelancer_display} accepted your offer: {offer.title}",
        link=_link(offer),
        template="offers/emails/offer-accepted",
        context=_context(offer),
    )


def send_offer_declined(offer: Offer) -> Notification:
    """To the hiring manager who sent it, with the freelancer's reason."""
    return notify(
        key=f"offer-declined:{offer.pk}",
        kind=Kind.OFFER_DECLINED,
        recipient=offer.created_by,
        title=f"{offer.freelancer_display} declined your offer: {offer.title}",
        link=_link(offer),
        template="offers/emails/offer-declined",
        context=_context(offer),
    )
