"""Reads for offers pages. Every query is scoped to the user's company or freelancer profile."""

from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts import pagination
from accounts.pagination import capped_counts
from approvals.models import ApprovalRequest
from approvals.models import State as ApprovalState

from .models import Offer, OfferRevision
from .services import approval_covers

# Offers.

# The tabs' counts stop here ("1,000+"; accounts.pagination.capped_counts).
COUNT_CAP = pagination.COUNT_CAP

OFFER_TABS = [
    ("sent", "Sent"),
    ("accepted", "Accepted"),
    ("declined", "Declined"),
    ("withdrawn", "Withdrawn"),
    ("all", "All"),
]


def _offer_rows():
    return Offer.objects.select_related("freelancer", "job", "created_by", "approval_request")


def _search_offers(offers, search: str):
    if search:
        offers = offers.filter(
            Q(title__icontains=search)
            | Q(freelancer__full_name__icontains=search)
            # Private to the freelancer: whole address only (a fragment would spell it out).
            | Q(freelancer__email__iexact=search)
            | Q(freelancer_name__icontains=search)
            | Q(freelancer_email__icontains=search)
            | Q(job__title__icontains=search)
        )
    return offers


def _state_counts(offers) -> dict:
    """The count of each state, plus "all", in one query; each stops at COUNT_CAP + 1 (shown
    "1,000+"), so a busy company's tabs read at most that many index entries each."""
    return capped_counts(
        {state: _in_tab(offers, state) for state, _ in OFFER_TABS}, cap=COUNT_CAP
    )


def _in_tab(offers, tab: str):
    return offers if tab == "all" else offers.filter(state=tab)


def offers_for_company(*, user, tab: str = "sent", search: str = ""):
    """The offers of the user's company in one state tab (or all), newest first, and the
    count of every tab (for the same search). Any member of the company can see them."""
    offers = _search_offers(
        _offer_rows().filter(company_id=user.membership.company_id), search
    )
    return _in_tab(offers, tab), _state_counts(offers)


def _freelancer_scope(user) -> Q:
    """Offers to this freelancer's account, or BYO offers sent to their email before they had one."""
    return Q(freelancer_id=user.pk) | Q(freelancer__isnull=True, freelancer_email__iexact=user.email)


def offers_for_freelancer(*, user, tab: str = "all", search: str = ""):
    """The offers addressed to the signed-in freelancer, newest first, and the tab counts."""
    offers = Offer.objects.select_related("company", "job", "created_by").filter(_freelancer_scope(user))
    if search:
        offers = offers.filter(
            Q(title__icontains=search) | Q(job__title__icontains=search) | Q(company__name__icontains=search)
        )
    return _in_tab(offers, tab), _state_counts(offers)


def offer_for_viewer(*, user, offer_id: int) -> Offer:
    """One offer for its company's members or for the freelancer it is addressed to; anyone
    else (another company, another freelancer) gets 404. Revisions come prefetched."""
    scope = Q(pk__in=[])
    membership = user.membership_or_none
    if membership is not None:
        scope |= Q(company_id=membership.company_id)
    if user.is_freelancer:
        scope |= _freelancer_scope(user)
    return get_object_or_404(
        Offer.objects.select_related(
            "company", "created_by", "freelancer", "job",
            "approval_request__freelancer",
        ).prefetch_related(
            Prefetch("revisions", queryset=OfferRevision.objects.select_related("created_by"))
        ),
        scope,
        pk=offer_id,
    )


def usable_approvals_for_manager(*, user):
    """The manager's own approved, unexpired requests not backing a live offer: the only ones
    an offer may use. Soonest expiry first, so the one to use before it lapses is on top."""
    return (
        ApprovalRequest.objects.filter(
            company_id=user.membership.company_id,
            requester_id=user.pk,
            state=ApprovalState.APPROVED,
            expires_at__gt=timezone.now(),
        )
        .exclude(offers__state__in=Offer.LIVE_STATES)
        .select_related("freelancer")
        .order_by("expires_at", "id")
    )


def approvals_covering(*, user, offer: Offer, terms: dict) -> list[ApprovalRequest]:
    """The manager's usable approvals that cover an offer's new terms (offers.services.
    approval_covers), other than the one it uses: the choices when a modification needs a new
    approval. SQL narrows them; the service's rule decides."""
    if offer.freelancer_id:
        same_person = Q(freelancer_id=offer.freelancer_id) | Q(
            freelancer__isnull=True, freelancer_email__iexact=offer.freelancer.email
        )
    else:
        same_person = Q(freelancer_email__iexact=offer.freelancer_email) | Q(
            freelancer__email__iexact=offer.freelancer_email
        )
    candidates = usable_approvals_for_manager(user=user).filter(
        same_person, offer_type=offer.offer_type, contract_type=terms["contract_type"],
        currency=terms["currency"], amount__gte=terms["amount"],
    ).exclude(pk=offer.approval_request_id)
    return [
        approval_request for approval_request in candidates
        if approval_covers(
            approval_request, offer=offer, contract_type=terms["contract_type"], amount=terms["amount"],
            currency=terms["currency"], weekly_hour_limit=terms["weekly_hour_limit"],
        )
    ]


def approval_request_of_manager(*, user, approval_request_id) -> ApprovalRequest | None:
    """One of the manager's own requests (for the notice after "Request approval"), or None."""
    try:
        approval_request_id = int(approval_request_id)
    except (TypeError, ValueError):
        return None
    return (
        ApprovalRequest.objects.select_related("freelancer")
        .filter(pk=approval_request_id, company_id=user.membership.company_id, requester_id=user.pk)
        .first()
    )


def offer_for_company(*, user, offer_id: int) -> Offer:
    """An offer of the user's company, for the client's actions; anyone else gets 404."""
    return get_object_or_404(Offer, pk=offer_id, company_id=user.membership.company_id)


def offer_for_freelancer(*, user, offer_id: int) -> Offer:
    """An offer addressed to the signed-in freelancer, for their answer; anyone else gets 404."""
    return get_object_or_404(Offer.objects.filter(_freelancer_scope(user)), pk=offer_id)
