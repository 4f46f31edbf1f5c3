"""Concurrency settled in PostgreSQL: threads with their own connections on the real DB."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.utils import timezone

from approvals import services
from approvals.models import ApprovalRequest, ApprovalTransition, State
from tests.concurrency import run_together
from tests.factories import move_past_expiry

pytestmark = pytest.mark.django_db(transaction=True)



def _decisions(approval_request):
    return list(
        ApprovalTransition.objects.filter(request=approval_request).exclude(name="create")
        .values_list("name", flat=True)
    )


@pytest.mark.parametrize("first, second", [("approve", "decline"), ("approve", "approve")])
def test_two_decisions_at_once_make_exactly_one_transition(team, make_request, first, second):
    for _ in range(5):
        approval_request = make_request()
        results = run_together(*[
            lambda d=decision, pk=approval_request.pk: services.approval_request_decide(
                approval_request_id=pk, actor=team.approver, decision=d
            )
            for decision in (first, second)
        ])
        outcomes = sorted(kind for kind, _ in results)
        assert outcomes == ["error", "ok"], results
        error = next(value for kind, value in results if kind == "error")
        assert isinstance(error, services.ApprovalError)
        decisions = _decisions(approval_request)
        assert len(decisions) == 1
        approval_request.refresh_from_db()
        assert approval_request.state == {"approve": State.APPROVED, "decline": State.DECLINED}[
            decisions[0]
        ]


def test_decision_racing_the_sweep_on_a_stale_request_ends_with_one_expiry(team, make_request):
    for _ in range(5):
        approval_request = move_past_expiry(make_request())
        results = run_together(
            lambda pk=approval_request.pk: services.approval_request_approve(
                approval_request_id=pk, actor=team.approver
            ),
            services.approval_requests_expire_stale,
        )
        assert results[0][0] == "error" and isinstance(results[0][1], services.ApprovalError)
        assert results[1][0] == "ok", results
        # If the decision held the row, the sweep skipped it; the next sweep expires it.
        services.approval_requests_expire_stale()
        approval_request.refresh_from_db()
        assert approval_request.state == State.EXPIRED
        assert _decisions(approval_request) == ["expire"]


def test_decisions_racing_the_sweep_at_the_expiry_boundary_change_each_request_once(
    team, make_request
):
    """Requests expiring around the moment the threads start: each is either decided or
    expired, never both, and its log has exactly one entry after "create"."""
    requests = [make_request() for _ in range(8)]
    start = timezone.now() + datetime.timedelta(milliseconds=300)
    for n, approval_request in enumerate(requests):
        ApprovalRequest.objects.filter(pk=approval_request.pk).update(
            expires_at=start + datetime.timedelta(milliseconds=40 * (n - 4))
        )

    def wait_then(fn):
        def run():
            delay = (start - timezone.now()).total_seconds()
            if delay > 0:
                threading.Event().wait(delay)
            return fn()
        return run

    deciders = [
        wait_then(
            lambda r=r: services.approval_request_approve(approval_request_id=r.pk, actor=team.approver)
        )
        for r in requests
    ]
    sweeps = [wait_then(services.approval_requests_expire_stale) for _ in range(2)]
    run_together(*deciders, *sweeps)
    # Let the window of every request close, then a final sweep settles the rest.
    threading.Event().wait(max(0, (start - timezone.now()).total_seconds()) + 0.2)
    services.approval_requests_expire_stale()
    for approval_request in requests:
        approval_request.refresh_from_db()
        decisions = _decisions(approval_request)
        assert len(decisions) == 1, decisions
        expected = {"approve": State.APPROVED, "expire": State.EXPIRED}[decisions[0]]
        assert approval_request.state == expected


def test_two_identical_submits_at_once_create_one_request(team):
    """A double-clicked "Send for approval": the requester's creates are serialised, so the
    second sees the first and is refused instead of asking the approver twice."""
    terms = dict(
        requester=team.manager, approver=team.approver, title="Senior Django developer",
        freelancer=team.freelancer, amount=Decimal("95.00"), weekly_hour_limit=30,
        start_date=timezone.localdate() + datetime.timedelta(days=7),
    )
    for _ in range(3):
        ApprovalRequest.objects.all().delete()
        results = run_together(
            lambda: services.approval_request_create(**terms),
            lambda: services.approval_request_create(**terms),
        )
        assert sorted(kind for kind, _ in results) == ["error", "ok"], results
        error = next(value for kind, value in results if kind == "error")
        assert "already asked" in str(error)
        assert ApprovalRequest.objects.count() == 1
