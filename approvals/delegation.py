"""Out of office: who decides for an approver who is away.

An approver's period (OutOfOffice) names a delegate. While it is on, the approver's undecided
decisions go to the delegate, who decides "on behalf of" them; if the delegate is away too, on
to theirs, at most three hops, never back to someone already passed (no loops). A delegate who
is the request's requester is skipped (nobody decides their own request), as is one who is no
longer an active approver of the company: the decision then goes on to their delegate if they
have one, else stays with the last person on the path. Nothing is copied when a period starts
or ends: who decides is resolved when it matters (notifying, showing, deciding), so ending a
period early hands every undecided decision back at once.
"""

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import User

from .models import OutOfOffice

MAX_HOPS = 3
MAX_PERIOD = datetime.timedelta(days=366)


class DelegationError(Exception):
    """A refused period, with a message fit to show."""


def active_delegations(*, company_id: int, now=None) -> dict[int, int]:
    """approver id → delegate id for every period on now in the company (one query)."""
    rows = live_periods(company_id=company_id, now=now).order_by("starts_at", "id")
    return dict(rows.values_list("approver_id", "delegate_id"))


def live_periods(*, company_id: int, now=None):
    """The company's periods that are on now (``now``: a time, or the database's, ``Now()``)."""
    now = timezone.now() if now is None else now
    return OutOfOffice.objects.filter(
        approver__membership__company_id=company_id, starts_at__lte=now, ends_at__gt=now,
    ).filter(Q(ended_at__isnull=True) | Q(ended_at__gt=now))


def resolve(approver_id: int, *, delegations: dict[int, int], requester_id: int | None,
            eligible: set[int]) -> int:
    """Who decides for ``approver_id`` now: themselves, or the end of their delegation path."""
    decider = approver_id
    current = approver_id
    seen = {approver_id}
    for _ in range(MAX_HOPS):
        delegate = delegations.get(current)
        if delegate is None or delegate in seen:
            break
        seen.add(delegate)
        current = delegate
        if delegate != requester_id and delegate in eligible:
            decider = delegate
    return decider


def delegators_of(user_id: int, *, delegations: dict[int, int], eligible: set[int],
                  requester_id: int | None = None) -> set[int]:
    """The approvers whose decisions resolve to ``user_id`` (not counting the user)."""
    return {
        approver_id for approver_id in delegations
        if approver_id != user_id
        and resolve(
            approver_id, delegations=delegations, requester_id=requester_id, eligible=eligible
        ) == user_id
    }


def eligible_approvers(company_id: int) -> set[int]:
    return set(
        User.objects.filter(
            membership__company_id=company_id, membership__is_approver=True, is_active=True
        ).values_list("pk", flat=True)
    )


class Resolver:
    """Resolution for one company at one moment (two queries, then none per approver)."""

    def __init__(self, company_id: int, now=None):
        self.delegations = active_delegations(company_id=company_id, now=now)
        self.eligible = eligible_approvers(company_id) if self.delegations else set()

    def decider(self, approver_id: int, *, requester_id: int | None) -> int:
        if not self.delegations:
            return approver_id
        return resolve(approver_id, delegations=self.delegations, requester_id=requester_id,
                       eligible=self.eligible)

    def delegators_of(self, user_id: int) -> set[int]:
        """Approvers whose decisions go to ``user_id`` on requests the user did not make.
        (A request the user made skips them anyway: rules.can_decide refuses the requester.)"""
        if not self.delegations:
            return set()
        return delegators_of(user_id, delegations=self.delegations, eligible=self.eligible)


# Setting and ending a period

def out_of_office_set(*, approver, delegate, starts_at, ends_at) -> OutOfOffice:
    """An approver sets a period away and a delegate: another active approver of their company,
    never themselves, and not someone who is delegating back to them over the same time (a
    loop). Periods of one approver do not overlap. The delegate is told in-app, with what is
    already waiting if the period starts now."""
    from . import emails

    membership = approver.membership_or_none
    if membership is None or not membership.is_approver:
        raise DelegationError("Only approvers can set an out-of-office delegate.")
    if delegate is None:
        raise DelegationError("Choose who decides for you while you are away.")
    if delegate.pk == approver.pk:
        raise DelegationError("Choose someone other than yourself.")
    delegate_membership = delegate.membership_or_none
    if (
        not delegate.is_active or delegate_membership is None
        or delegate_membership.company_id != membership.company_id or not delegate_membership.is_approver
    ):
        raise DelegationError("Your delegate must be another approver of your company.")
    now = timezone.now()
    if ends_at <= starts_at:
        raise DelegationError("The period must end after it starts.")
    if ends_at <= now:
        raise DelegationError("The period is already over: choose an end in the future.")
    if ends_at - starts_at > MAX_PERIOD:
        raise DelegationError("A period can last at most a year.")
    with transaction.atomic():
        # Periods of one company are set one at a time, so two approvers cannot delegate to
        # each other at the same moment and slip past the loop check.
        from accounts.models import Company

        Company.objects.select_for_update().filter(pk=membership.company_id).first()
        overlapping = _overlapping(OutOfOffice.objects.filter(approver=approver), starts_at, ends_at)
        if overlapping.exists():
            raise DelegationError(
                "You already have an out-of-office period then: end it or choose other dates."
            )
        back = _overlapping(
            OutOfOffice.objects.filter(approver=delegate, delegate=approver), starts_at, ends_at
        ).first()
        if back is not None:
            raise DelegationError(
                f"{delegate} is away then and delegates to you: choose someone else, or they "
                "would pass your decisions back to you."
            )
        period = OutOfOffice.objects.create(
            approver=approver, delegate=delegate, starts_at=starts_at, ends_at=ends_at
        )
        emails.send_delegation_started(period)
    return period


def out_of_office_end(*, approver, period_id: int) -> OutOfOffice:
    """End one's own period now (or cancel one not started): undecided decisions go back."""
    from . import emails

    with transaction.atomic():
        period = OutOfOffice.objects.select_for_update().filter(pk=period_id, approver=approver).first()
        if period is None:
            raise DelegationError("That out-of-office period is not yours, or no longer exists.")
        now = timezone.now()
        if period.until <= now:
            raise DelegationError("That period is already over.")
        period.ended_at = max(now, period.starts_at)
        period.save(update_fields=["ended_at"])
        emails.send_delegation_ended(period)
    return period


def _overlapping(queryset, starts_at, ends_at):
    now = timezone.now()
    return queryset.filter(starts_at__lt=ends_at, ends_at__gt=starts_at).filter(
        Q(ended_at__isnull=True) | Q(ended_at__gt=starts_at)
    ).exclude(ends_at__lte=now)


def periods_of(user) -> list[OutOfOffice]:
    """The user's current and coming periods, and those delegated to them."""
    now = timezone.now()
    live = Q(ends_at__gt=now) & (Q(ended_at__isnull=True) | Q(ended_at__gt=now))
    return list(
        OutOfOffice.objects.filter(live).filter(Q(approver=user) | Q(delegate=user))
        .select_related("approver", "delegate").order_by("starts_at", "id")
    )
