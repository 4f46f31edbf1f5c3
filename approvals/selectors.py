"""Reads for approval pages, each scoped to the signed-in user's company and role.

Visibility: a member sees the requests they created and the requests assigned to them as
approver, in their own company only. A person holding both roles sees both. Anything else
(another member's request, another company's) answers 404.
"""

from django.contrib.postgres.expressions import ArraySubquery
from django.core.paginator import Paginator
from django.db import connection, models
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    Lookup,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Concat, Now, Replace, Upper
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts import pagination
from accounts.models import User
from accounts.pagination import capped_counts, capped_label, capped_page
from jobs.terms import ContractType, format_money

from . import delegation, rules
from .models import (
    ApprovalPolicy,
    ApprovalRequest,
    ApprovalTransition,
    DashboardCount,
    DashboardEntry,
    Decision,
    RequestStep,
    State,
    StepApprover,
    StepState,
)

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
    ("cancelled", "Cancelled", State.CANCELLED),
]
TAB_STATES = {key: state for key, _, state in TABS}
# Tab counts stop here ("1,000+"): counting further would read every row of a busy tab.
COUNT_CAP = pagination.COUNT_CAP
# A search's counts stop sooner ("100+"): each entry counted is matched against its words
# (search_text), so a common word would otherwise count a thousand index entries per tab.
SEARCH_COUNT_CAP = 100


def count_cap(search: str = "") -> int:
    """Where the tab counts stop, with this search or none."""
    return SEARCH_COUNT_CAP if search else COUNT_CAP


def _reads_entries(user) -> bool:
    """Whether the user's dashboard reads DashboardEntry (PostgreSQL, where triggers keep it)
    rather than the chain: not for a delegate or an escalation contact, whose extra requests
    (resolved when read) the entries do not hold."""
    if not hasattr(user, "_approvals_reads_entries"):
        membership = user.membership_or_none
        if connection.vendor != "postgresql" or membership is None:
            user._approvals_reads_entries = False
            return False
        # Both questions are loaded with the signed-in user (signed_in_user_annotations), else
        # asked in one statement, the same; delegation is resolved only when a period is on.
        flags = signed_in_user_annotations()
        if any(getattr(user, name, None) is None for name in flags):
            for name, value in User.objects.filter(pk=user.pk).values(**flags).get().items():
                setattr(user, name, value)
        away, escalation_contact = user.approvals_someone_away, user.approvals_escalation_contact
        if not away:
            user._approvals_delegators = set()
        user._approvals_reads_entries = not escalation_contact and not _delegators(user)
    return user._approvals_reads_entries


def signed_in_user_annotations() -> dict:
    """What _reads_entries asks, as annotations of the signed-in user's row (registered with
    accounts.backends.signed_in_users): whether anyone in their company is out of office now,
    and whether they are an escalation contact of its policy. "Now" is the statement's time, in
    the database: the annotations are built once per process."""
    company_id = OuterRef("membership__company_id")
    return {
        "approvals_someone_away": Exists(delegation.live_periods(company_id=company_id, now=Now())),
        "approvals_escalation_contact": Exists(ApprovalPolicy.escalation_contacts.through.objects.filter(
            user_id=OuterRef("pk"), approvalpolicy__company_id=company_id
        )),
    }


def _entries(user, search: str = "") -> QuerySet:
    """The user's dashboard entries in their company, matching the search: what _search_q
    matches on the request, read from the words copied onto the entry (and included in its
    index), so a search never joins an entry to its request."""
    entries = DashboardEntry.objects.filter(user_id=user.pk, company_id=user.membership.company_id)
    if not search:
        return entries
    # The entry's words are stored upper-cased (migration 0012): the term is folded the same way,
    # by PostgreSQL, once per statement, and each entry compared as it is.
    folded = Upper(Value(search))
    return entries.filter(
        Q(_Like(F("search_text"), _Once(Concat(Value("%"), _like_escaped(folded), Value("%")))))
        | Q(freelancer_account_email=_Once(folded))
    )


class _Once(Func):
    """An expression of the statement's parameters, computed once per statement (a scalar
    subquery: PostgreSQL's InitPlan) rather than once for each row it is compared with."""

    template = "(SELECT %(expressions)s)"


class _Like(Lookup):
    """``lhs LIKE rhs``, the pattern as given (Django's lookups build theirs around each row)."""

    lookup_name = "like"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} LIKE {rhs}", [*lhs_params, *rhs_params]


def _like_escaped(expression):
    """The text of ``expression`` matched literally inside a LIKE pattern (\\, % and _ escaped)."""
    for char in ("\\", "%", "_"):
        expression = Replace(expression, Value(char), Value("\\" + char))
    return expression


def _visible_to(user, *, also: Q | None = None) -> QuerySet:
    """The requests the user made, and those with the user among the approvers of any step
    (a later step's approvers see the request before they can act on it); and, for an escalation
    contact of the company's policy, the requests escalated to them (the email links there);
    and those ``also`` matches, in the user's company."""
    membership = user.membership_or_none
    if membership is None:
        return ApprovalRequest.objects.none()
    seats = Q(request_id=OuterRef("pk"), approver_id=user.pk)
    delegators = _delegators(user)
    if delegators:
        # A delegate sees what is waiting for the approvers they decide for.
        seats |= Q(
            request_id=OuterRef("pk"), approver_id__in=delegators, decision=Decision.PENDING,
            step__state=StepState.ACTIVE,
        )
    visible = Q(requester_id=user.pk) | Exists(StepApprover.objects.filter(seats)) | _escalated_to(user)
    return ApprovalRequest.objects.filter(company_id=membership.company_id).filter(
        visible | also if also is not None else visible
    )


def _escalated_to(user) -> Exists:
    return Exists(
        RequestStep.objects.filter(
            request_id=OuterRef("pk"), escalated_at__isnull=False,
            request__company__approval_policy__escalation_contacts=user.pk,
        )
    )


def _delegators(user) -> set[int]:
    """The approvers out of office whose decisions go to the user now (cached per user object)."""
    if not hasattr(user, "_approvals_delegators"):
        membership = user.membership_or_none
        user._approvals_delegators = (
            delegation.Resolver(membership.company_id).delegators_of(user.pk) if membership else set()
        )
    return user._approvals_delegators


def _awaiting(user) -> Exists:
    """The request awaits the user's decision: they are an undecided approver of its active
    step, or the delegate of one who is away (not on their own requests)."""
    approvers = {user.pk} | _delegators(user)
    return Exists(
        StepApprover.objects.filter(
            request_id=OuterRef("pk"), approver_id__in=approvers, decision=Decision.PENDING,
            step__state=StepState.ACTIVE,
        ).exclude(request__requester_id=user.pk)
    )


def awaiting_decision_count(user) -> int:
    """The number beside My Jobs > Approvals: requests awaiting the user's decision (their own
    seats and those of approvers they decide for), pending and not past their deadline. Like
    the tabs' counts it stops at COUNT_CAP + 1 (awaiting_decision_label: "1,000+")."""
    membership = user.membership_or_none
    if membership is None:
        return 0
    if _reads_entries(user):
        if not hasattr(user, "_approvals_awaiting_count"):  # else counted with the dashboard's tabs
            user._approvals_awaiting_count = min(_kept_counts(user)[1], COUNT_CAP + 1)
        return user._approvals_awaiting_count
    count = ApprovalRequest.objects.filter(
        company_id=membership.company_id, state=State.PENDING, expires_at__gt=timezone.now()
    ).filter(_awaiting(user)).count()
    return min(count, COUNT_CAP + 1)


def awaiting_decision_label(user) -> int | str:
    """The top bar's badge: awaiting_decision_count as shown ("1,000+" past the cap)."""
    return count_label(awaiting_decision_count(user))


def _search_q(search: str, prefix: str = "") -> Q:
    return (
        Q(**{f"{prefix}title__icontains": search})
        | Q(**{f"{prefix}freelancer__full_name__icontains": search})
        # A marketplace freelancer's email is private: whole address only, or a search for
        # "a", "ad", "ada@"… would spell it out. BYO emails were typed by the client.
        | Q(**{f"{prefix}freelancer__email__iexact": search})
        | Q(**{f"{prefix}freelancer_name__icontains": search})
        | Q(**{f"{prefix}freelancer_email__icontains": search})
    )


def _search(queryset: QuerySet, search: str) -> QuerySet:
    if not search:
        return queryset
    return queryset.filter(_search_q(search))


# Each tab's count and the awaiting count, from the rows DashboardCount adds up (kept by the
# triggers of migration 0011): a few rows per person, however many requests they see. A seat
# past its decision window awaits no one any more, but its entry says so only once the sweep has
# expired it: those (usually none) are counted from the entries' index of open seats by deadline
# and taken off. Parameters: the user, their company, (now: _LATE_SEATS).
_LATE_SEATS = (
    f'SELECT count(*) FROM "{DashboardEntry._meta.db_table}" e WHERE e.user_id = %s AND e.company_id = %s '
    f"AND e.state = '{State.PENDING}' AND e.awaiting AND e.expires_at <= %s"
)
_KEPT = f'FROM "{DashboardCount._meta.db_table}" WHERE user_id = %s AND company_id = %s'
_KEPT_COUNTS = (
    "SELECT "
    + "".join(f"coalesce(sum(n) FILTER (WHERE state = '{state}'), 0), " for _, _, state in TABS)
    + f"coalesce(sum(n) FILTER (WHERE state = '{State.PENDING}' AND awaiting), 0), ({_LATE_SEATS}) "
    + _KEPT
)
_KEPT_AWAITING = (
    f"(SELECT coalesce(sum(n), 0) {_KEPT} AND state = '{State.PENDING}' AND awaiting) - ({_LATE_SEATS})"
)


def _kept_counts(user) -> tuple[dict[str, int], int]:
    """The user's tab counts and the number of requests awaiting their decision now, exact, in
    one statement (for a user whose dashboard reads the entries: _reads_entries). Whether any
    open seat of theirs is left at all, past its window or not, is kept on the user for the
    Pending tab's list (DashboardRows)."""
    person = [user.pk, user.membership.company_id]
    with connection.cursor() as cursor:
        cursor.execute(_KEPT_COUNTS, [*person, timezone.now(), *person])
        *tabs, open_seats, late = cursor.fetchone()
    user._approvals_open_seats = open_seats
    return dict(zip(TAB_STATES, tabs, strict=True)), open_seats - late


def approval_request_tab_counts(*, user, search: str = "") -> dict[str, int]:
    """How many requests the user sees in each tab, in one query; a count past the cap
    (count_cap) is the cap + 1 (shown "1,000+").

    Counts follow the search, so a search shows which tabs hold matches. Without a search, the
    counts are kept (DashboardCount) and read in a few rows; a search counts its matches, and
    stops at the cap, so a count reads at most that many entries.
    """
    if not _reads_entries(user):
        aggregates = {key: Count("id", filter=Q(state=state)) for key, _, state in TABS}
        counts = _search(_visible_to(user), search).aggregate(**aggregates)
        return {key: min(count, count_cap(search) + 1) for key, count in counts.items()}
    if not search:
        counts, awaiting = _kept_counts(user)
        if user.membership.is_approver:
            # The top bar's "awaiting your decision" (awaiting_decision_count), read with them.
            user._approvals_awaiting_count = min(awaiting, COUNT_CAP + 1)
        return {key: min(count, COUNT_CAP + 1) for key, count in counts.items()}
    entries = _entries(user, search)
    also = {}
    if user.membership.is_approver:
        # The top bar's count (it does not follow the search), kept, in the same statement.
        person = [user.pk, user.membership.company_id]
        also["awaiting"] = (_KEPT_AWAITING, [*person, *person, timezone.now()])
    counts = capped_counts(
        {key: entries.filter(state=state) for key, _, state in TABS}, cap=count_cap(search), also=also
    )
    if "awaiting" in counts:
        user._approvals_awaiting_count = min(counts.pop("awaiting"), COUNT_CAP + 1)
    return counts


def count_label(count: int, search: str = "") -> int | str:
    """A tab count as shown: the number, or "1,000+" ("100+" for a search) past the cap."""
    return capped_label(count, count_cap(search))


# What a dashboard row shows with its request.
_ROW_RELATED = ("requester", "freelancer", "job")


class DashboardRows:
    """One tab's requests for Django's Paginator, read from DashboardEntry, newest first (in the
    Pending tab, those awaiting the user first). The first page reads its entries and their
    requests in one statement; a later page reads the entries' ids by index as far as its end,
    then its own requests. It is counted only as far as capped_page asks (count_to), so a count
    never reads the whole tab."""

    def __init__(self, *, user, state: str, search: str):
        self.user, self.state = user, state
        self.entries = _entries(user, search).filter(state=state)

    def count_to(self, limit: int) -> int:
        return self.entries.values("pk")[:limit].count()

    def _ids(self, entries: QuerySet, stop: int) -> list[tuple]:
        if not entries.query.combinator:
            entries = entries.values_list("created_at", "request_id")
        return list(entries.order_by("-created_at", "-request_id")[:stop])

    def _with_requests(self, entries: QuerySet, stop: int) -> list[ApprovalRequest]:
        """The first ``stop`` entries' requests in the entries' order, read with them (a nested
        loop from the index's entries to each request: a deep page would join every entry it
        skips, so only the first page reads this way)."""
        related = [f"request__{name}" for name in _ROW_RELATED]
        return [entry.request for entry in entries.select_related(*related).order_by(
            "-created_at", "-request_id"
        )[:stop]]

    def _requests(self, ids: list[int]) -> list[ApprovalRequest]:
        by_id = ApprovalRequest.objects.select_related(*_ROW_RELATED).in_bulk(ids)
        return [by_id[pk] for pk in ids if pk in by_id]

    def _rest(self, now) -> QuerySet:
        """The Pending tab after the requests awaiting the user: those nobody awaits merged with
        the open seats past the decision window that the sweep has not reached, in one statement
        (two index ranges merged in order: a Merge Append)."""
        return self.entries.filter(awaiting=False).values_list("created_at", "request_id").union(
            self.entries.filter(awaiting=True, expires_at__lte=now).values_list("created_at", "request_id"),
            all=True,
        )

    def __getitem__(self, window: slice) -> list[ApprovalRequest]:
        start, stop = window.start or 0, window.stop
        pending = self.state == State.PENDING
        now = timezone.now()
        if pending and getattr(self.user, "_approvals_open_seats", None) == 0:
            # No open seat of the user's at all (the tab counts said so): the tab is the rest,
            # newest first, and its first page reads like any other tab's.
            pending = False
        first = self.entries.filter(awaiting=True, expires_at__gt=now) if pending else self.entries.filter(
            awaiting=False
        )
        if start == 0:
            rows = self._with_requests(first, stop)
            awaiting = {row.pk for row in rows} if pending else set()
            if pending and len(rows) < stop:
                rows += self._requests([pk for _, pk in self._ids(self._rest(now), stop - len(rows))])
        else:
            head = self._ids(first, stop)
            rest = self._ids(self._rest(now), stop - len(head)) if pending and len(head) < stop else []
            rows = self._requests([pk for _, pk in head + rest][start:stop])
            awaiting = {pk for _, pk in head} if pending else set()
        # The Approvers column reads only steps that have seats (a step that is not skipped
        # always has some): one query for the page's seats with their steps, not two.
        chains = {row.pk: {} for row in rows}
        seats = StepApprover.objects.filter(request_id__in=list(chains)).select_related("step", "approver")
        for seat in seats.order_by("step__position", "id"):
            chains[seat.request_id].setdefault(seat.step, []).append(seat)
        for row in rows:
            row.awaiting_me = 0 if row.pk in awaiting else 1
            row.chain = list(chains[row.pk].items())
        return rows


def approval_requests_page(
    *, user, tab: str = "pending", search: str = "", page_size: int, number, count: int | None = None
):
    """One page of a dashboard tab (Django's Page): a page past the last shows the last.

    From DashboardEntry where the user's dashboard reads it (counting at most a few pages past
    the one asked for); else the chain's query. ``count``: the tab's count from
    approval_request_tab_counts, which spares counting again when it is under the cap."""
    state = TAB_STATES.get(tab, State.PENDING)
    if not _reads_entries(user):
        rows = approval_requests_for_dashboard(user=user, tab=tab, search=search)
        return Paginator(rows, page_size).get_page(number)
    rows = DashboardRows(user=user, state=state, search=search)
    if count is None:
        count = rows.count_to(count_cap(search) + 1)
    return capped_page(rows, page_size, number, count=count, cap=count_cap(search))


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
        .select_related(*_ROW_RELATED)
        .prefetch_related(chain_prefetch())
    )
    if state != State.PENDING:
        # Nothing else awaits a decision: plain newest first, which the indexes can serve
        # (the Used and Expired tabs are the ones that grow without end).
        return rows.annotate(awaiting_me=Value(1)).order_by("-created_at", "-id")
    return rows.annotate(
        awaiting_me=Case(
            When(_awaiting(user), expires_at__gt=timezone.now(), then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
    ).order_by("awaiting_me", "-created_at", "-id")


def approval_request_titles(*, user, ids) -> dict[int, str]:
    """The titles of the requests among ``ids`` that the user may see, by id (one query)."""
    return dict(_visible_to(user).filter(pk__in=ids).values_list("pk", "title"))


def approval_requests_awaiting_decision(*, user, ids) -> list[ApprovalRequest]:
    """The requests among ``ids`` that await the user's decision, in the Pending tab's order:
    what a bulk decision will decide, listed before it does (the service checks each again)."""
    return list(
        approval_requests_for_dashboard(user=user, tab="pending")
        .filter(pk__in=ids, awaiting_me=0)
    )


def approvers_cell(approval_request: ApprovalRequest, *, user) -> dict:
    """Who the dashboard names in a row's Approvers column, from the prefetched chain: while
    pending, the active step (named when there are several) and who of it has not decided yet;
    once decided, who decided. The viewer is "You"."""

    def name(person):
        return "You" if person.pk == user.pk else str(person)

    # (step, its seats) in chain order: the dashboard's rows carry it (DashboardRows), else
    # from the prefetched chain.
    chain = getattr(approval_request, "chain", None)
    if chain is None:
        chain = [(step, list(step.approvers.all())) for step in rules.steps_of(approval_request)]
    seats_of = dict(chain)
    steps = [step for step, _ in chain]
    if approval_request.state == State.PENDING:
        active = next((step for step in steps if step.state == StepState.ACTIVE), None)
        if active is None:
            return {"step": "", "names": ""}
        waiting = [seat.approver for seat in seats_of[active] if seat.decision == Decision.PENDING]
        counted = [step for step in steps if step.state != StepState.SKIPPED]
        step = f"{active.name} ({counted.index(active) + 1} of {len(counted)})" if len(counted) > 1 else ""
        return {"step": step, "names": ", ".join(name(person) for person in waiting)}
    decided = [
        seat.approver for _, seats in chain for seat in seats
        if seat.decision in (Decision.APPROVED, Decision.DECLINED)
    ]
    if decided:
        return {"step": "", "names": ", ".join(name(person) for person in decided)}
    names = approval_request.decided_by_names
    if not names:  # expired undecided: who was asked last
        active = next((step for step in reversed(steps) if step.activated_at), None)
        names = ", ".join(name(seat.approver) for seat in seats_of[active]) if active else ""
    return {"step": "", "names": names}


def chain_prefetch() -> Prefetch:
    """The request's steps, each with its approvers and their users (two queries a page)."""
    return Prefetch(
        "steps",
        queryset=RequestStep.objects.order_by("position").prefetch_related(
            Prefetch(
                "approvers",
                queryset=StepApprover.objects.select_related("approver", "decided_by").order_by("id"),
            )
        ),
    )


def approval_request_for_user(*, user, approval_request_id: int) -> ApprovalRequest:
    """One request the user may see (requester or approver, same company), with everything
    its page shows: people, job, timeline, the offers using it and the ids of the requests that
    resubmit it (``resubmission_ids``, newest first). Otherwise 404."""
    newest_first = ApprovalRequest.objects.order_by("-created_at", "-id").values_list("pk", flat=True)
    queryset = _visible_one(user, approval_request_id)
    if connection.vendor == "postgresql":
        # An array in the request's own row, not a statement of its own.
        queryset = queryset.annotate(
            resubmission_ids=ArraySubquery(newest_first.filter(resubmission_of=OuterRef("pk")))
        )
    approval_request = get_object_or_404(
        queryset
        .select_related("requester", "freelancer", "job", "resubmission_of")
        .prefetch_related(
            chain_prefetch(),
            Prefetch(
                "transitions",
                queryset=ApprovalTransition.objects.select_related("actor", "on_behalf_of").order_by(
                    "created_at", "id"
                ),
            ),
            Prefetch(
                "offers",
                queryset=_OFFERS.objects.select_related("freelancer").order_by("-sent_at", "-id"),
            ),
        ),
        pk=approval_request_id,
    )
    if not hasattr(approval_request, "resubmission_ids"):
        approval_request.resubmission_ids = list(newest_first.filter(resubmission_of=approval_request.pk))
    return approval_request


def _visible_one(user, approval_request_id: int) -> QuerySet:
    """One request's visibility (its page, a decision): the dashboard's, and a request the user
    decided for an approver who was away, which no longer waits for them once decided (the page
    a delegate lands on after deciding)."""
    decided_for_others = Q(Exists(
        StepApprover.objects.filter(request_id=OuterRef("pk"), decided_by_id=user.pk)
    ))
    if _reads_entries(user):
        # One indexed probe of the user's entries instead of the visibility test over the chain.
        return ApprovalRequest.objects.filter(company_id=user.membership.company_id).filter(
            Q(pk__in=_entries(user).filter(request_id=approval_request_id).values("request_id"))
            | decided_for_others
        )
    return _visible_to(user, also=decided_for_others)


def is_visible_to(user, approval_request: ApprovalRequest) -> bool:
    """Whether the user may see a request whose chain is loaded (a decision's locked read), as
    the pages decide it: its requester or an approver of any of its steps, in their own company,
    without a query; anyone else (a delegate, an escalation contact, a stranger) by the pages'
    own test, one query."""
    membership = user.membership_or_none
    if membership is None or membership.company_id != approval_request.company_id:
        return False
    if approval_request.requester_id == user.pk or any(
        seat.approver_id == user.pk for seat in rules.seats_of(approval_request)
    ):
        return True
    return _visible_one(user, approval_request.pk).filter(pk=approval_request.pk).exists()


def approval_request_to_decide(*, user, approval_request_id: int) -> ApprovalRequest:
    """One request the user may see, with what a decision's confirmation names (the requester
    and the freelancer), without its page's chain and timeline; otherwise 404."""
    return get_object_or_404(
        _visible_one(user, approval_request_id).select_related("requester", "freelancer"),
        pk=approval_request_id,
    )


def approval_request_decision(*, approval_request_id: int, seat=None) -> ApprovalTransition | None:
    """What answered a one-click link that no longer waits (its token already proves who may
    see the request): this approver's own decision, else the decline or final approval of the
    request, else the decision that passed their step."""
    entries = ApprovalTransition.objects.filter(
        request_id=approval_request_id, name__in=["approve", "decline"]
    ).select_related("actor").order_by("created_at", "id")
    if seat is not None:
        own = entries.filter(actor_id=seat.approver_id, step_name=seat.step.name).first()
        if own is not None:
            return own
        final = entries.exclude(source_state=models.F("target_state")).last()
        if final is not None:
            return final
        return entries.filter(step_name=seat.step.name).last()
    return entries.exclude(source_state=models.F("target_state")).last() or entries.last()


def approval_request_sent_message(approval_request: ApprovalRequest) -> str:
    """The confirmation after creating: who was asked first."""
    active = next(step for step in approval_request.steps.all() if step.state == StepState.ACTIVE)
    names = [str(seat.approver) for seat in active.approvers.select_related("approver").order_by("id")]
    who = names[0] if len(names) == 1 else ", ".join(names[:-1]) + f" and {names[-1]}"
    if approval_request.steps.count() == 1:
        return f"Approval requested from {who}. We emailed them the details."
    return f"Approval requested: the step “{active.name}” goes first, and we emailed {who} the details."


def decision_done_message(approval_request: ApprovalRequest, *, actor, from_email: bool = False) -> str:
    """What the approver is told after deciding: the request's outcome, or where it goes next."""
    if approval_request.state != State.PENDING:
        if from_email:
            return (
                f"Done: you {approval_request.get_state_display().lower()} “{approval_request.title}”. "
                f"{approval_request.requester} has been told."
            )
        return (
            f"Request {approval_request.get_state_display().lower()}. "
            f"{approval_request.requester} has been told."
        )
    # The chain as the decision left it (the service returns it prefetched).
    active = next((step for step in rules.steps_of(approval_request) if step.state == StepState.ACTIVE), None)
    own = [seat for seat in rules.seats_of(approval_request) if seat.approver_id == actor.pk]
    # Latest decided last, undecided first (as PostgreSQL orders "-decided_at": NULLs first).
    mine = max(
        own, key=lambda seat: (seat.decided_at is None, seat.decided_at or approval_request.created_at),
        default=None,
    )
    step_name = mine.step.name if mine else ""
    if active is not None and mine is not None and active.pk == mine.step_id:
        return (
            f"{'Done: you' if from_email else 'You'} approved “{approval_request.title}” for the "
            f"step “{step_name}”. It needs more approvals from that step before it goes on."
        )
    return (
        f"{'Done: you' if from_email else 'You'} approved “{approval_request.title}” for the step "
        f"“{step_name}”. It now goes to the step “{active.name if active else ''}”."
    )


def approval_request_to_resubmit(*, user, approval_request_id: int) -> ApprovalRequest:
    """The user's own declined, expired or cancelled request, to copy into a new one; otherwise 404."""
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
