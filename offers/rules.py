"""Who may do what with offers: each rule once, as ``can_<verb>(user, ...)`` returning the
refusal to show, or None when the user may. Services enforce them; the offer pages use them
to decide which buttons to show."""

from .models import Offer

_NOT_SENT = {
    Offer.State.ACCEPTED: "This offer was already accepted",
    Offer.State.DECLINED: "This offer was already declined",
    Offer.State.WITHDRAWN: "This offer was already withdrawn",
}


def _not_sent(offer: Offer, done: str) -> str | None:
    if offer.state != Offer.State.SENT:
        return f"{_NOT_SENT[offer.state]}: it can no longer be {done}."
    return None


def is_addressed_to(user, offer: Offer) -> bool:
    """The freelancer's own offer: by account, or (BYO) by the email it was sent to."""
    if offer.freelancer_id:
        return offer.freelancer_id == user.pk
    return bool(offer.freelancer_email) and offer.freelancer_email.lower() == user.email.lower()


def can_send_offer(user) -> str | None:
    membership = user.membership_or_none
    if membership is None or not membership.is_hiring_manager:
        return "Only hiring managers can send offers."
    return None


def _sender_refusal(user, offer: Offer) -> str | None:
    # The sender manages an offer: its approval is their own request.
    if offer.created_by_id != user.pk:
        return "Only the hiring manager who sent this offer can change or withdraw it."
    return None


def can_modify(user, offer: Offer) -> str | None:
    """Change the terms: the hiring manager who sent it, while it is sent."""
    return _sender_refusal(user, offer) or _not_sent(offer, "modified")


def can_withdraw(user, offer: Offer) -> str | None:
    """Take it back: the hiring manager who sent it, while it is sent."""
    return _sender_refusal(user, offer) or _not_sent(offer, "withdrawn")


def _addressee_refusal(user, offer: Offer) -> str | None:
    if not is_addressed_to(user, offer):
        return "Only the freelancer this offer is addressed to can answer it."
    return None


def can_accept(user, offer: Offer) -> str | None:
    """Accept: the freelancer it is addressed to, while it is sent."""
    return _addressee_refusal(user, offer) or _not_sent(offer, "accepted")


def can_decline(user, offer: Offer) -> str | None:
    """Decline: the freelancer it is addressed to, while it is sent."""
    return _addressee_refusal(user, offer) or _not_sent(offer, "declined")
