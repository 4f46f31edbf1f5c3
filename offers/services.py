"""Writes for offers.

Every offer service is atomic and locks the offer row (``select_for_update``) so a double
click, two tabs or a client and a freelancer acting at once end with exactly one change.
Approval requests are locked through ``approvals.services.approval_request_lock`` in the same
transaction, always after the offer row (sending locks the request, then inserts the offer),
so the lock order never forms a cycle. Each service logs its transition and writes the
notifications it causes in the same transaction (emailed after commit by the relay).
"""

import datetime
from collections.abc import Sequence
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.logging import actor_label, log_event
from approvals import emails as approval_emails
from approvals.models import ApprovalRequest, State
from approvals.policies import modification_needs_approval
from approvals.services import (
    ApprovalError,
    approval_request_consume,
    approval_request_lock,
    approval_request_release,
)
from jobs.models import Job
from jobs.services import invite_mark_hired
from jobs.terms import ContractType, format_money

from . import emails, rules
from .models import Offer, OfferRevision

LIVE_OFFER_CONSTRAINT = "offer_one_live_offer_per_approval"
APPROVAL_IN_USE_MESSAGE = (
    "This approval is already used by another offer. Pick another approved request, "
    "or request a new approval."
)
TERM_FIELDS = ("title", "contract_type", "amount", "currency", "weekly_hour_limit", "start_date", "message")


class OfferError(Exception):
    """A refused action on an offer, with a message fit to show the user."""


class OfferNeedsApprovalError(OfferError):
    """The modification goes beyond what the offer's approval covers under the company's policy,
    and no approval covering the new terms was chosen."""

    def __init__(self, reasons: list[str]):
        self.reasons = reasons
        super().__init__("These changes need a new approval: " + " ".join(reasons))


class OfferDifferencesError(OfferError):
    """The offer's freelancer or terms differ from its approval and the manager has not confirmed."""

    def __init__(self, differences: list[str]):
        self.differences = differences
        super().__init__("The offer differs from the approved request: " + "; ".join(differences))


# Comparing an offer with its approval.


def _hours(limit: int | None) -> str:
    return f"{limit} h/week" if limit else "no limit"


def _same_freelancer(approval_request: ApprovalRequest, freelancer, freelancer_email: str) -> bool:
    """The same person: the same marketplace account, or the same email address."""
    if approval_request.freelancer_id and freelancer is not None:
        return approval_request.freelancer_id == freelancer.pk
    request_email = (
        approval_request.freelancer.email if approval_request.freelancer_id
        else approval_request.freelancer_email
    )
    offer_email = freelancer.email if freelancer is not None else freelancer_email
    return bool(request_email) and request_email.lower() == (offer_email or "").lower()


def offer_approval_differences(
    *,
    approval_request: ApprovalRequest,
    offer_type: str,
    freelancer,
    freelancer_name: str = "",
    freelancer_email: str = "",
    contract_type: str,
    amount: Decimal,
    currency: str,
    weekly_hour_limit: int | None,
    start_date: datetime.date,
) -> list[str]:
    """What the offer changes from what the approver approved, one readable line per term.

    Compared: the freelancer, offer type, contract type, amount, currency, weekly hour limit
    and start date. The title, job post and message are wording, not terms, and are not compared.
    """
    differences = []
    if not _same_freelancer(approval_request, freelancer, freelancer_email):
        offered = str(freelancer) if freelancer is not None else (freelancer_name or freelancer_email)
        differences.append(f"Freelancer: approved {approval_request.freelancer_display}, offer {offered}")
    if approval_request.offer_type != offer_type:
        offered_type = _label(Offer, "offer_type", offer_type)
        differences.append(
            f"Offer type: approved {approval_request.get_offer_type_display()}, offer {offered_type}"
        )
    if approval_request.contract_type != contract_type:
        differences.append(
            f"Contract type: approved {approval_request.get_contract_type_display()}, "
            f"offer {_label(Offer, 'contract_type', contract_type)}"
        )
    if approval_request.currency != currency:
        differences.append(f"Currency: approved {approval_request.currency}, offer {currency}")
    if approval_request.amount != amount:
        differences.append(
            f"Amount: approved {format_money(approval_request.amount, approval_request.currency)}, "
            f"offer {format_money(amount, currency)}"
        )
    hourly = approval_request.contract_type == ContractType.HOURLY
    request_limit = approval_request.weekly_hour_limit if hourly else None
    if (request_limit or None) != (weekly_hour_limit or None):
        differences.append(
            f"Weekly limit: approved {_hours(request_limit)}, offer {_hours(weekly_hour_limit)}"
        )
    if approval_request.start_date != start_date:
        differences.append(
            f"Start date: approved {approval_request.start_date:%b %d, %Y}, offer {start_date:%b %d, %Y}"
        )
    return differences


def approval_covers(
    approval_request: ApprovalRequest, *, offer: Offer, contract_type: str, amount: Decimal,
    currency: str, weekly_hour_limit: int | None,
) -> bool:
    """Whether an approval covers an offer's new terms: the same freelancer and offer type, the
    same contract type and currency, at least the amount, and for an hourly contract at least the
    weekly hours. The title, message and start date are not compared (a start date that
    differs is confirmed as when sending)."""
    return (
        _same_freelancer(approval_request, offer.freelancer, offer.freelancer_email)
        and approval_request.offer_type == offer.offer_type
        and approval_request.contract_type == contract_type
        and approval_request.currency == currency
        and approval_request.amount >= amount
        and (
            contract_type != ContractType.HOURLY
            or (approval_request.weekly_hour_limit or 0) >= (weekly_hour_limit or 0)
        )
    )


def _label(model, field_name: str, value: str) -> str:
    return dict(model._meta.get_field(field_name).choices).get(value, value)


def _refuse_unconfirmed(differences: list[str], confirmed_differences: Sequence[str]) -> None:
    """Refuse unless the manager saw and confirmed every current difference."""
    unconfirmed = [d for d in differences if d not in set(confirmed_differences)]
    if unconfirmed:
        raise OfferDifferencesError(differences)


# Sending.


def _refuse(refusal: str | None) -> None:
    if refusal:
        raise OfferError(refusal)


def _use_approval(*, approval_request_id: int | None, sent_by, company_id: int) -> ApprovalRequest:
    """Lock the manager's own approved request of this company and mark it used."""
    if approval_request_id is None:
        raise OfferError("Your company requires an approved request for every offer. Choose one.")
    try:
        approval_request = approval_request_lock(approval_request_id=approval_request_id)
    except ApprovalRequest.DoesNotExist:
        raise OfferError("That approval request does not exist.") from None
    if approval_request.company_id != company_id or approval_request.requester_id != sent_by.pk:
        raise OfferError("That approval request is not one of yours. Choose one of your approved requests.")
    if approval_request.state == State.CONSUMED:
        raise OfferError(APPROVAL_IN_USE_MESSAGE)
    if approval_request.state != State.APPROVED:
        raise OfferError(
            f"That approval request is {approval_request.get_state_display().lower()}, not approved: "
            "it cannot back an offer."
        )
    if approval_request.is_past_expiry:
        raise OfferError("That approval has expired. Request a new approval.")
    return approval_request


def _raise_if_approval_taken(exc: IntegrityError) -> None:
    if LIVE_OFFER_CONSTRAINT in str(exc):
        raise OfferError(APPROVAL_IN_USE_MESSAGE) from exc


def offer_send(
    *,
    sent_by,
    approval_request_id: int | None = None,
    offer_type: str,
    job: Job | None,
    freelancer,
    freelancer_name: str = "",
    freelancer_email: str = "",
    title: str,
    contract_type: str,
    amount: Decimal,
    currency: str,
    weekly_hour_limit: int | None,
    start_date: datetime.date,
    message: str = "",
    confirmed_differences: Sequence[str] = (),
) -> Offer:
    """Send an offer; with approvals enabled, it uses one approved request (approved → consumed).

    The request is row-locked, checked (same company, the sender's own, approved, unexpired),
    consumed, and the offer and its revision 1 are created in one transaction. A partial unique
    constraint backs the lock: a request backs at most one live offer, so of two offers sent at
    once with one approval exactly one is saved; the other raises OfferError and saves nothing.
    If the freelancer or terms differ from the approved ones, the manager must have confirmed
    each difference (``confirmed_differences``), otherwise OfferDifferencesError.
    """
    _refuse(rules.can_send_offer(sent_by))
    company = sent_by.membership_or_none.company
    if job is not None and job.company_id != company.pk:
        raise OfferError("Choose one of your company's job posts.")
    if freelancer is None and not freelancer_email:
        raise OfferError("Choose the freelancer who gets the offer.")
    try:
        with transaction.atomic():
            approval_request = None
            if company.approvals_enabled:
                approval_request = _use_approval(
                    approval_request_id=approval_request_id, sent_by=sent_by, company_id=company.pk
                )
                _refuse_unconfirmed(
                    offer_approval_differences(
                        approval_request=approval_request, offer_type=offer_type, freelancer=freelancer,
                        freelancer_name=freelancer_name, freelancer_email=freelancer_email,
                        contract_type=contract_type, amount=amount, currency=currency,
                        weekly_hour_limit=weekly_hour_limit, start_date=start_date,
                    ),
                    confirmed_differences,
                )
                approval_request_consume(approval_request=approval_request, actor=sent_by)
            elif approval_request_id is not None:
                raise OfferError("Your company does not use approvals: send the offer without a request.")
            terms = {
                "title": title, "contract_type": contract_type, "amount": amount, "currency": currency,
                "weekly_hour_limit": weekly_hour_limit if contract_type == ContractType.HOURLY else None,
                "start_date": start_date, "message": message,
            }
            offer = Offer.objects.create(
                company=company,
                created_by=sent_by,
                offer_type=offer_type,
                job=job,
                freelancer=freelancer,
                freelancer_name="" if freelancer is not None else freelancer_name,
                freelancer_email="" if freelancer is not None else freelancer_email.lower(),
                approval_request=approval_request,
                **terms,
            )
            OfferRevision.objects.create(
                offer=offer, number=1, created_by=sent_by, approval_request=approval_request, **terms
            )
            _log_transition(offer, actor=sent_by, source="")
            emails.send_offer_sent(offer, revision=1)
    except ApprovalError as exc:
        raise OfferError(str(exc)) from exc
    except IntegrityError as exc:
        _raise_if_approval_taken(exc)
        raise
    return offer


def _log_transition(offer: Offer, *, actor, source: str, **fields) -> None:
    log_event(
        "offer.transition", object=f"offer:{offer.pk}", actor=actor_label(actor),
        **{"from": source or "none", "to": offer.state}, **fields, outcome="ok",
    )


# Changing a sent offer.


def _lock_offer(offer_id: int) -> Offer:
    try:
        return Offer.objects.select_for_update().get(pk=offer_id)
    except Offer.DoesNotExist:
        raise OfferError("That offer does not exist.") from None


def _release_approval(offer: Offer, *, actor, comment: str) -> None:
    """Free the offer's approval (consumed → approved, or expired when its validity is over)."""
    if offer.approval_request_id is None:
        return
    approval_request = approval_request_lock(approval_request_id=offer.approval_request_id)
    offer.approval_request = approval_request  # callers read the outcome (approved or expired)
    if approval_request.state != State.CONSUMED:
        return  # nothing to free (defensive: a consumed request only leaves through release)
    try:
        approval_request_release(approval_request=approval_request, actor=actor, comment=comment)
    except ApprovalError as exc:
        raise OfferError(str(exc)) from exc


def offer_modify(
    *,
    offer_id: int,
    modified_by,
    title: str,
    contract_type: str,
    amount: Decimal,
    currency: str,
    weekly_hour_limit: int | None,
    start_date: datetime.date,
    message: str = "",
    confirmed_differences: Sequence[str] = (),
    new_approval_request_id: int | None = None,
) -> Offer:
    """Change a sent offer's terms: a new revision of the same offer (revision + 1).

    The freelancer and offer type stay; the approval stays consumed and linked to this offer,
    unless the company's policy says the change goes beyond its tolerance
    (approvals.policies.modification_needs_approval): then saving needs another of the
    manager's approved, unused requests that covers the new terms (``approval_covers``), which
    is consumed and backs the offer from this revision on; the earlier approval stays consumed,
    with the earlier revisions that it backed. New terms that differ from the approval in use
    need the manager's confirmation, as when sending. The approvers of the approval the offer
    used are told in-app. Only the sender may modify, only while the offer is sent, and only a
    real change.
    """
    with transaction.atomic():
        offer = _lock_offer(offer_id)
        _refuse(rules.can_modify(modified_by, offer))
        terms = {
            "title": title, "contract_type": contract_type, "amount": amount, "currency": currency,
            "weekly_hour_limit": weekly_hour_limit if contract_type == ContractType.HOURLY else None,
            "start_date": start_date, "message": message,
        }
        if all(getattr(offer, name) == value for name, value in terms.items()):
            raise OfferError("Nothing changed: edit the terms, dates or message before saving.")
        used = None
        if offer.approval_request_id:
            approval_request = used = ApprovalRequest.objects.select_related("freelancer").get(
                pk=offer.approval_request_id
            )
            current = {name: getattr(offer, name) for name in ("contract_type", "amount", "currency")}
            current["weekly_hour_limit"] = offer.weekly_hour_limit
            reasons = modification_needs_approval(
                approval_request=approval_request, current=current,
                new=terms,
            )
            if reasons:
                approval_request = _use_covering_approval(
                    offer, reasons=reasons, approval_request_id=new_approval_request_id,
                    modified_by=modified_by, terms=terms,
                )
            _refuse_unconfirmed(
                offer_approval_differences(
                    approval_request=approval_request, offer_type=offer.offer_type,
                    freelancer=offer.freelancer, freelancer_name=offer.freelancer_name,
                    freelancer_email=offer.freelancer_email, contract_type=contract_type,
                    amount=amount, currency=currency, weekly_hour_limit=terms["weekly_hour_limit"],
                    start_date=start_date,
                ),
                confirmed_differences,
            )
            if approval_request.pk != used.pk:
                try:
                    approval_request_consume(approval_request=approval_request, actor=modified_by)
                except ApprovalError as exc:
                    raise OfferError(str(exc)) from exc
                offer.approval_request = approval_request
        for name, value in terms.items():
            setattr(offer, name, value)
        offer.revision += 1
        try:
            with transaction.atomic():
                offer.save()
        except IntegrityError as exc:
            _raise_if_approval_taken(exc)
            raise
        OfferRevision.objects.create(
            offer=offer, number=offer.revision, created_by=modified_by,
            approval_request_id=offer.approval_request_id, **terms,
        )
        _log_transition(offer, actor=modified_by, source=Offer.State.SENT, revision=offer.revision)
        emails.send_offer_modified(offer, revision=offer.revision)
        if used is not None:
            approval_emails.send_offer_modified_to_approvers(
                used, offer_id=offer.pk, offer_title=offer.title, revision=offer.revision,
                offer_link=reverse("offers:offer_detail", args=[offer.pk]),
            )
    return offer


def _use_covering_approval(
    offer: Offer, *, reasons: list[str], approval_request_id: int | None, modified_by, terms: dict,
) -> ApprovalRequest:
    """The approval the manager chose to cover a modification beyond the tolerance: locked and
    checked as when sending (theirs, approved, unexpired, unused) and covering the new terms."""
    if approval_request_id is None or approval_request_id == offer.approval_request_id:
        raise OfferNeedsApprovalError(reasons)
    approval_request = _use_approval(
        approval_request_id=approval_request_id, sent_by=modified_by, company_id=offer.company_id
    )
    if not approval_covers(
        approval_request, offer=offer, contract_type=terms["contract_type"], amount=terms["amount"],
        currency=terms["currency"], weekly_hour_limit=terms["weekly_hour_limit"],
    ):
        raise OfferError(
            f"The approval “{approval_request.title}” does not cover the new terms: choose one for the "
            "same freelancer, offer type, contract type and currency, with at least the new amount "
            "(and weekly hours)."
        )
    return approval_request


def offer_withdraw(*, offer_id: int, withdrawn_by) -> Offer:
    """The sender takes back a sent offer; its approval is freed for another offer
    (consumed → approved), or expires if its validity is over. Twice is refused."""
    with transaction.atomic():
        offer = _lock_offer(offer_id)
        _refuse(rules.can_withdraw(withdrawn_by, offer))
        offer.state = Offer.State.WITHDRAWN
        offer.withdrawn_at = timezone.now()
        offer.save(update_fields=["state", "withdrawn_at", "updated_at"])
        _release_approval(offer, actor=withdrawn_by, comment="The offer was withdrawn by the client.")
        _log_transition(offer, actor=withdrawn_by, source=Offer.State.SENT)
        emails.send_offer_withdrawn(offer)
    return offer


def offer_accept(*, offer_id: int, freelancer, revision: int | None = None) -> Offer:
    """The addressed freelancer accepts a sent offer: it becomes a contract and its approval
    stays used for good. A withdrawn, declined or already accepted offer is refused.

    ``revision`` is the revision the freelancer was shown (the offer page posts it): if the
    client modified the offer since, Accept is refused, so no contract is made on terms the
    freelancer never read. A BYO offer sent to an email gets linked to the account of the
    freelancer who accepts it.
    """
    with transaction.atomic():
        offer = _lock_offer(offer_id)
        _refuse(rules.can_accept(freelancer, offer))
        if revision is not None and revision != offer.revision:
            raise OfferError(
                f"{offer.company.name} changed this offer since you opened it: read revision "
                f"{offer.revision} below, then accept again if it suits you."
            )
        offer.state = Offer.State.ACCEPTED
        offer.responded_at = timezone.now()
        offer.freelancer = freelancer
        offer.save(update_fields=["state", "responded_at", "freelancer", "updated_at"])
        if offer.job_id is not None:
            invite_mark_hired(job_id=offer.job_id, freelancer_id=freelancer.pk)
        _log_transition(offer, actor=freelancer, source=Offer.State.SENT)
        emails.send_offer_accepted(offer)
    return offer


def offer_decline(*, offer_id: int, freelancer, reason: str) -> Offer:
    """The addressed freelancer declines a sent offer with a reason; the approval is freed
    as on withdrawal (or expires if its validity is over). Declining twice is refused."""
    reason = reason.strip()
    if not reason:
        raise OfferError("Tell the client why you decline the offer.")
    with transaction.atomic():
        offer = _lock_offer(offer_id)
        _refuse(rules.can_decline(freelancer, offer))
        offer.state = Offer.State.DECLINED
        offer.decline_reason = reason
        offer.responded_at = timezone.now()
        offer.freelancer = freelancer
        offer.save(update_fields=["state", "decline_reason", "responded_at", "freelancer", "updated_at"])
        _release_approval(offer, actor=freelancer, comment=f"The freelancer declined the offer: {reason}")
        _log_transition(offer, actor=freelancer, source=Offer.State.SENT)
        emails.send_offer_declined(offer)
    return offer
