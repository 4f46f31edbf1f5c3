"""Approval reports: how each approver decides, over a period.

Per approver: the decisions they made in the period (approved or declined seats, by
``StepApprover.decided_at``), the share approved, the median and 90th-percentile time to
decision (from the step's activation, when the request reached them, to their decision), how many
decisions wait for them now, and how long the oldest of those has waited (again since it reached
them, which is what they can act on; not since the request was created).

Who sees what (``report_scope``): a member with the approver role sees the whole company's
approvers; a hiring manager without it sees the same figures limited to their own requests
(how quickly their requests were decided); staff see any company in the admin.

Three queries whatever the number of approvers or decisions: the decided figures (percentiles by
PostgreSQL's ``percentile_cont``), the pending figures, the approvers' names. On the embedded
SQLite, which has no ``percentile_cont``, the decided query returns the durations and the
percentiles are computed in Python the same way (linear interpolation).
"""

import datetime
import math
from dataclasses import dataclass

from django.db import connection
from django.db.models import (
    Aggregate,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Min,
    Q,
)
from django.utils import timezone

from accounts.models import User

from .models import Decision, State, StepApprover, StepState


class PercentileCont(Aggregate):
    """PostgreSQL's ``percentile_cont(p) WITHIN GROUP (ORDER BY expression)``."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(%(percentile)s) WITHIN GROUP (ORDER BY %(expressions)s)"

    def __init__(self, expression, *, percentile: float, output_field=None, **extra):
        # A number we choose, never user input: safe to put in the SQL.
        super().__init__(expression, percentile=float(percentile), output_field=output_field, **extra)


def percentile(values: list, fraction: float):
    """``percentile_cont`` in Python: linear interpolation between the closest ranks."""
    if not values:
        return None
    ordered = sorted(values)
    position = fraction * (len(ordered) - 1)
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


@dataclass
class ReportScope:
    """What a reader's report covers: their company's approvers, or only their own requests."""

    company_id: int
    requester_id: int | None = None

    @property
    def own_requests_only(self) -> bool:
        return self.requester_id is not None


def report_scope(user) -> ReportScope | None:
    """Company-wide for a member with the approver role; a hiring manager without it sees their
    own requests only; anyone else nothing (None)."""
    membership = user.membership_or_none
    if membership is None:
        return None
    if membership.is_approver:
        return ReportScope(company_id=membership.company_id)
    if membership.is_hiring_manager:
        return ReportScope(company_id=membership.company_id, requester_id=user.pk)
    return None


@dataclass
class ApproverFigures:
    approver: User
    decided: int = 0
    approved: int = 0
    median: datetime.timedelta | None = None
    p90: datetime.timedelta | None = None
    pending: int = 0
    oldest_pending_since: datetime.datetime | None = None
    now: datetime.datetime | None = None

    @property
    def approval_rate(self) -> float | None:
        """Percent of the decisions that approved; None without decisions."""
        return 100 * self.approved / self.decided if self.decided else None

    @property
    def approval_rate_text(self) -> str:
        """"80%", rounded to a whole percent; "—" without decisions."""
        rate = self.approval_rate
        return "—" if rate is None else f"{rate:.0f}%"

    @property
    def oldest_pending_age(self) -> datetime.timedelta | None:
        return self.now - self.oldest_pending_since if self.oldest_pending_since else None


def period_bounds(
    start: datetime.date, end: datetime.date, *, zone
) -> tuple[datetime.datetime, datetime.datetime]:
    """The period as aware datetimes: from the start of ``start`` to the end of ``end``, in ``zone``."""
    return (
        datetime.datetime.combine(start, datetime.time.min, tzinfo=zone),
        datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone),
    )


def approver_figures(
    *, scope: ReportScope, since: datetime.datetime, until: datetime.datetime, now=None,
) -> list[ApproverFigures]:
    """The figures of every approver in the scope, decided in [since, until), by name.

    Company-wide, every active approver of the company is listed, with zeros when they decided
    nothing; limited to one requester's requests, only the approvers of those requests are.
    """
    now = now or timezone.now()
    seats = StepApprover.objects.filter(request__company_id=scope.company_id)
    if scope.requester_id is not None:
        seats = seats.filter(request__requester_id=scope.requester_id)
    decided = seats.filter(
        decision__in=[Decision.APPROVED, Decision.DECLINED],
        decided_at__gte=since, decided_at__lt=until, step__activated_at__isnull=False,
    )
    figures: dict[int, ApproverFigures] = {}

    def row(approver_id: int) -> ApproverFigures:
        return figures.setdefault(approver_id, ApproverFigures(approver=None, now=now))

    wait = ExpressionWrapper(F("decided_at") - F("step__activated_at"), output_field=DurationField())
    if connection.vendor == "postgresql":
        for values in decided.values("approver_id").order_by().annotate(
            decided=Count("id"),
            approved=Count("id", filter=Q(decision=Decision.APPROVED)),
            median=PercentileCont(wait, percentile=0.5, output_field=DurationField()),
            p90=PercentileCont(wait, percentile=0.9, output_field=DurationField()),
        ):
            figure = row(values["approver_id"])
            figure.decided, figure.approved = values["decided"], values["approved"]
            figure.median, figure.p90 = values["median"], values["p90"]
    else:
        waits: dict[int, list] = {}
        for approver_id, decision, decided_at, activated_at in decided.values_list(
            "approver_id", "decision", "decided_at", "step__activated_at"
        ):
            figure = row(approver_id)
            figure.decided += 1
            figure.approved += decision == Decision.APPROVED
            waits.setdefault(approver_id, []).append(decided_at - activated_at)
        for approver_id, durations in waits.items():
            figures[approver_id].median = percentile(durations, 0.5)
            figures[approver_id].p90 = percentile(durations, 0.9)

    waiting = seats.filter(
        decision=Decision.PENDING, step__state=StepState.ACTIVE,
        request__state=State.PENDING, request__expires_at__gt=now,
    )
    for values in waiting.values("approver_id").order_by().annotate(
        pending=Count("id"), oldest=Min("step__activated_at")
    ):
        figure = row(values["approver_id"])
        figure.pending, figure.oldest_pending_since = values["pending"], values["oldest"]

    people = Q(pk__in=list(figures))
    if scope.requester_id is None:
        people |= Q(
            membership__company_id=scope.company_id, membership__is_approver=True, is_active=True
        )
    for person in User.objects.filter(people).order_by("full_name", "email"):
        row(person.pk).approver = person
    return sorted(
        (figure for figure in figures.values() if figure.approver is not None),
        key=lambda figure: (figure.approver.full_name.lower(), figure.approver.email),
    )


def duration_text(value: datetime.timedelta | None) -> str:
    """"2 d 3 h", "5 h 12 min", "45 min", "under a minute"; "—" for none."""
    if value is None:
        return "—"
    minutes = int(value.total_seconds() // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return f"{days} d {hours} h"
    if hours:
        return f"{hours} h {minutes} min"
    return f"{minutes} min" if minutes else "under a minute"

