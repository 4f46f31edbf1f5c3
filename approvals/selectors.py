"""Reads for approval pages, each scoped to the signed-in user's company and role.

Visibility: a member sees the requests they created and the requests assigned to them as
approver, in their own company only. A person holding both roles sees both. Anything else
(another member's request, another company's) answers 404.
"""

from django.db.models import Case, Count, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import User
from jobs.terms import ContractType, format_money

from . import rules
from .models import ApprovalRequest, ApprovalTransition, State

# The offers using a request, read through the reverse relation the offers app gives
# ApprovalRequest: approvals never imports offers.
_OFFERS = ApprovalRequest.offers.rel.related_model

# Dashboard tabs, in order: key, label, state.
TABS = [
    ("pending", "Pending", State.PENDING),
    ("approved", "Approved", State.APPROVED),
    ("declined", "Declined", State.DECLINED),
    ("expired", "Expired", State.EXPIRED),
    ("used", "Used", State.CONSUMED),
]
TAB_STATES = {key: state for key, _, state in TABS}


def _visible_to(user) -> QuerySet:
    membership = user.membership_or_none
    if membership is None:
        return ApprovalRequest.objects.none()
    return ApprovalRequest.objects.filter(company_id=membership.company_id).filter(
        Q(requester_id=user.pk) | Q(approver_id=user.pk)
    )


def _search(queryset: QuerySet, search: str) -> QuerySet:
    if not search:
        return queryset
    return queryset.filter(
        Q(title__icontains=search)
        | Q(freelancer__full_name__icontains=search)
        # A marketplace freelancer's email is private: whole address only, or a search for
        # "a", "ad", "ada@"… would spell it out. BYO emails were typed by the client.
        | Q(freelancer__email__iexact=search)
        | Q(freelancer_name__icontains=search)
        | Q(freelancer_email__icontains=search)
    )


def approval_request_tab_counts(*, user, search: str = "") -> dict[str, int]:
    """How many requests the user sees in each tab, in one query.

    Counts follow the search, so a search shows which tabs hold matches.
    """
    aggregates = {
        key: Count("id", filter=Q(state=state)) for key, _, state in TABS
    }
    return _search(_visible_to(user), search).aggregate(**aggregates)


def approval_requests_for_dashboard(*, user, tab: str = "pending", search: str = "") -> QuerySet:
    """The user's requests in one tab, newest first; requests awaiting this user's decision
    come before everything else (for a person with both roles, in the Pending tab).

    A pending request whose decision window has passed (the sweep has not run yet) no longer
    awaits anyone: it cannot be decided, so it is neither flagged nor put first.
    """
    state = TAB_STATES.get(tab, State.PENDING)
    rows = (
        _search(_visible_to(user), search)
        .filter(state=state)
        .select_related("requester", "approver", "freelancer", "job")
    )
    if state != State.PENDING:
        # Nothing else awaits a decision: plain newest first, which the indexes can serve
        # (the Used and Expired tabs are the ones that grow without end).
        return rows.annotate(awaiting_me=Value(1)).order_by("-created_at", "-id")
    return rows.annotate(
        awaiting_me=Case(
            When(approver_id=user.pk, expires_at__gt=timezone.now(), then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
    ).order_by("awaiting_me", "-created_at", "-id")


def approval_request_for_user(*, user, approval_request_id: int) -> ApprovalRequest:
    """One request the user may see (requester or approver, same company), with everything
    its page shows: people, job, timeline and the offers using it. Otherwise 404."""
    return get_object_or_404(
        _visible_to(user)
        .select_related(
            "company", "requester", "approver", "freelancer", "job", "resubmission_of"
        )
        .prefetch_related(
            Prefetch(
                "transitions",
                queryset=ApprovalTransition.objects.select_related("actor").order_by(
                    "created_at", "id"
                ),
            ),
            Prefetch(
                "offers",
                queryset=_OFFERS.objects.select_related("freelancer").order_by("-sent_at", "-id"),
            ),
            Prefetch(
                "resubmissions", queryset=ApprovalRequest.objects.order_by("-created_at", "-id")
            ),
        ),
        pk=approval_request_id,
    )


def approval_request_decision(*, approval_request_id: int) -> ApprovalTransition | None:
    """The approve or decline entry of a request's audit trail, if it was decided (for the
    one-click link page, whose token already proves who may see the request)."""
    return (
        ApprovalTransition.objects.filter(
            request_id=approval_request_id, name__in=["approve", "decline"]
        )
        .select_related("actor")
        .first()
    )


def approval_request_to_resubmit(*, user, approval_request_id: int) -> ApprovalRequest:
    """The user's own declined or expired request, to copy into a new one; otherwise 404."""
    approval_request = approval_request_for_user(user=user, approval_request_id=approval_request_id)
    refusal = rules.can_resubmit(user, approval_request)
    if refusal:
        raise Http404(refusal)
    return approval_request


def approval_request_terms(approval_request: ApprovalRequest) -> dict:
    """What a request asks to offer, as form initial data: the freelancer (an account, or a
    BYO name and email), offer type, title, job post and contract terms."""
    has_account = approval_request.freelancer_id is not None
    hourly = approval_request.contract_type == ContractType.HOURLY
    return {
        "offer_type": approval_request.offer_type,
        "title": approval_request.title,
        "job": approval_request.job_id or "",
        "freelancer": approval_request.freelancer_id or "",
        "freelancer_name": "" if has_account else approval_request.freelancer_name,
        "freelancer_email": "" if has_account else approval_request.freelancer_email,
        "contract_type": approval_request.contract_type,
        "amount": approval_request.amount,
        "currency": approval_request.currency,
        "weekly_hour_limit": approval_request.weekly_hour_limit if hourly else "",
        "start_date": approval_request.start_date.isoformat(),
    }


def company_approvers(*, user) -> QuerySet:
    """Approvers of the user's company who can decide the user's requests (never the user)."""
    membership = user.membership_or_none
    if membership is None:
        return User.objects.none()
    return User.objects.filter(
        membership__company_id=membership.company_id, membership__is_approver=True, is_active=True
    ).exclude(pk=user.pk).order_by("full_name", "email")


def approval_request_changes(*, previous: ApprovalRequest, current: ApprovalRequest) -> list[dict]:
    """What a resubmission changed, term by term (``label``, ``before``, ``after``), so the
    approver decides on the difference rather than re-reading everything."""

    def terms(approval_request):
        freelancer = approval_request.freelancer_display
        if not approval_request.freelancer_id and approval_request.freelancer_email:
            freelancer = f"{freelancer} <{approval_request.freelancer_email}>"
        return {
            "Title": approval_request.title,
            "Freelancer": freelancer,
            "Contract": approval_request.get_contract_type_display(),
            "Amount": format_money(approval_request.amount),
            "Currency": approval_request.currency,
            "Weekly hour limit": (
                f"{approval_request.weekly_hour_limit} hours" if approval_request.weekly_hour_limit else "—"
            ),
            "Start date": approval_request.start_date.strftime("%b %-d, %Y"),
            "Justification": approval_request.justification or "—",
        }

    before, after = terms(previous), terms(current)
    return [
        {"label": label, "before": before[label], "after": after[label]}
        for label in before
        if before[label] != after[label]
    ]
