"""Chains under concurrency, settled in PostgreSQL: threads with their own connections."""

import datetime
import time

import pytest
from django.db import transaction
from django.utils import timezone

from approvals import services
from approvals.models import ApprovalRequest, ApprovalTransition, StepRule
from tests.approvals.chain_helpers import ask, initech
from tests.concurrency import run_together

pytestmark = pytest.mark.django_db(transaction=True)


def _entries(approval_request):
    return list(
        ApprovalTransition.objects.filter(request=approval_request).exclude(name="create")
        .order_by("id").values_list("actor__email", "step_name", "target_state")
    )


def _approve(approval_request, user):
    return lambda: services.approval_request_approve(approval_request_id=approval_request.pk, actor=user)


def test_both_finance_approvers_at_once_approve_the_request_once():
    people = initech()
    for _ in range(4):
        approval_request = ask(people, title=f"Race {timezone.now().timestamp()}")
        services.approval_request_approve(approval_request_id=approval_request.pk, actor=people.lead)
        results = run_together(
            _approve(approval_request, people.cfo), _approve(approval_request, people.controller)
        )
        assert [kind for kind, _ in results] == ["ok", "ok"], results
        approval_request.refresh_from_db()
        assert approval_request.state == "approved"
        entries = _entries(approval_request)
        # One entry per decision; exactly one of them approved the request.
        assert len(entries) == 3 and [e[2] for e in entries].count("approved") == 1, entries
        assert sorted(e[0] for e in entries[1:]) == ["cfo@initech.test", "controller@initech.test"]


def test_two_approvers_of_an_any_one_step_at_once_pass_it_once():
    people = initech()
    people.finance_step.rule = StepRule.ANY
    people.finance_step.save()
    for _ in range(4):
        approval_request = ask(people, title=f"Any {timezone.now().timestamp()}")
        services.approval_request_approve(approval_request_id=approval_request.pk, actor=people.lead)
        results = run_together(
            _approve(approval_request, people.cfo), _approve(approval_request, people.controller)
        )
        assert sorted(kind for kind, _ in results) == ["error", "ok"], results
        error = next(value for kind, value in results if kind == "error")
        assert isinstance(error, services.ApprovalError)
        assert "request is approved" in str(error)
        approval_request.refresh_from_db()
        assert approval_request.state == "approved"
        assert len(_entries(approval_request)) == 2  # the lead's, then the one finance approval


def test_the_last_approval_racing_the_sweep_ends_with_one_outcome():
    people = initech()
    for _ in range(4):
        approval_request = ask(people, title=f"Sweep {timezone.now().timestamp()}")
        services.approval_request_approve(approval_request_id=approval_request.pk, actor=people.lead)
        services.approval_request_approve(approval_request_id=approval_request.pk, actor=people.cfo)
        ApprovalRequest.objects.filter(pk=approval_request.pk).update(
            expires_at=timezone.now() + datetime.timedelta(milliseconds=150)
        )
        start = timezone.now() + datetime.timedelta(milliseconds=150)

        def at_expiry(fn, start=start):
            def run():
                delay = (start - timezone.now()).total_seconds()
                if delay > 0:
                    time.sleep(delay)
                return fn()
            return run

        results = run_together(
            at_expiry(_approve(approval_request, people.controller)),
            at_expiry(services.approval_requests_expire_stale),
        )
        services.approval_requests_expire_stale()  # whatever a skipped row left
        approval_request.refresh_from_db()
        entries = _entries(approval_request)
        if approval_request.state == "approved":
            # The approval won within the window; an approved request expires only after its validity.
            assert results[0][0] == "ok" and entries[-1][2] == "approved"
        else:
            assert approval_request.state == "expired" and results[0][0] == "error", results
            assert [e[2] for e in entries].count("expired") == 1
            assert "approved" not in [e[2] for e in entries]


def test_a_decision_racing_a_policy_edit_follows_the_chain_the_request_was_created_with():
    people = initech()
    approval_request = ask(people)
    services.approval_request_approve(approval_request_id=approval_request.pk, actor=people.lead)

    def edit_policy():
        with transaction.atomic():
            people.finance_step.approvers.set([people.cfo])
            people.finance_step.rule = StepRule.ANY
            people.finance_step.save()

    results = run_together(_approve(approval_request, people.cfo), edit_policy)
    assert [kind for kind, _ in results] == ["ok", "ok"], results
    approval_request.refresh_from_db()
    # The snapshot still needs the controller: the edit did not approve it early.
    assert approval_request.state == "pending"
    services.approval_request_approve(approval_request_id=approval_request.pk, actor=people.controller)
    approval_request.refresh_from_db()
    assert approval_request.state == "approved"
    assert [e[0] for e in _entries(approval_request)] == [
        "lead@initech.test", "cfo@initech.test", "controller@initech.test",
    ]
