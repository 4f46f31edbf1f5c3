"""The beat sweep: set-based expiry of stale pending requests and unused approvals."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from approvals import services, tasks
from approvals.models import ApprovalRequest, ApprovalTransition, State
from tests.factories import move_past_expiry

pytestmark = pytest.mark.django_db


def _approve(team, approval_request):
    services.approval_request_approve(approval_request_id=approval_request.pk, actor=team.approver)
    approval_request.refresh_from_db()
    return approval_request


def test_sweep_expires_stale_pending_and_unused_approved_requests_only(
    team, make_request, mailoutbox, django_capture_on_commit_callbacks
):
    stale_pending = move_past_expiry(make_request(title="stale pending"))
    stale_approved = move_past_expiry(_approve(team, make_request(title="stale approved")))
    fresh_pending = make_request(title="fresh pending")
    fresh_approved = _approve(team, make_request(title="fresh approved"))
    consumed = _approve(team, make_request(title="consumed"))
    services.approval_request_consume(approval_request=consumed, actor=team.manager)
    move_past_expiry(consumed)

    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.expire_stale_approval_requests.delay().get() == 2

    states = dict(ApprovalRequest.objects.values_list("title", "state"))
    assert states == {
        "stale pending": State.EXPIRED, "stale approved": State.EXPIRED,
        "fresh pending": State.PENDING, "fresh approved": State.APPROVED, "consumed": State.CONSUMED,
    }
    for approval_request, source in ((stale_pending, "pending"), (stale_approved, "approved")):
        approval_request.refresh_from_db()
        assert approval_request.expired_at is not None
        log = approval_request.transitions.last()
        assert (log.name, log.source_state, log.target_state, log.actor) == (
            "expire", source, "expired", None
        )
    assert sorted(m.subject for m in mailoutbox) == [
        "Expired: stale approved for Ada Lovelace", "Expired: stale pending for Ada Lovelace",
    ]
    assert fresh_pending.transitions.count() == 1 and fresh_approved.transitions.count() == 2


def test_sweep_twice_logs_and_emails_once(team, make_request, mailoutbox,
                                          django_capture_on_commit_callbacks):
    move_past_expiry(make_request())
    with django_capture_on_commit_callbacks(execute=True):
        assert services.approval_requests_expire_stale() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert services.approval_requests_expire_stale() == 0
    assert ApprovalTransition.objects.filter(name="expire").count() == 1
    assert len(mailoutbox) == 1


def test_sweep_works_in_batches(team, make_request):
    for _ in range(7):
        move_past_expiry(make_request())
    assert services.approval_requests_expire_stale(batch_size=3) == 7
    assert ApprovalRequest.objects.filter(state=State.EXPIRED).count() == 7
    assert ApprovalTransition.objects.filter(name="expire").count() == 7


def _sweep_queries(n, make_request):
    ApprovalRequest.objects.all().delete()
    for _ in range(n):
        move_past_expiry(make_request())
    with CaptureQueriesContext(connection) as queries:
        assert services.approval_requests_expire_stale() == n
    return [q["sql"] for q in queries.captured_queries]


def test_sweep_query_count_does_not_grow_with_rows(team, make_request):
    one = _sweep_queries(1, make_request)
    many = _sweep_queries(60, make_request)
    assert len(one) == len(many)
    print(f"sweep queries for 1 and 60 rows: {len(one)}, {len(many)}")
    # One statement for the whole batch: it expires the rows, logs them and notifies.
    [statement] = [q for q in many if "SAVEPOINT" not in q]
    assert statement.count("UPDATE approvals_approvalrequest") == 1
    assert statement.count("INSERT INTO approvals_approvaltransition") == 1
    assert "FOR UPDATE SKIP LOCKED" in statement


def test_sweep_sends_one_email_per_request_of_each_requester(
    team, make_request, mailoutbox, django_capture_on_commit_callbacks
):
    for _ in range(3):
        move_past_expiry(make_request())
    with django_capture_on_commit_callbacks(execute=True):
        services.approval_requests_expire_stale()
    assert len(mailoutbox) == 3 and {tuple(m.to) for m in mailoutbox} == {("maria@acme.test",)}


def test_beat_schedule_names_the_approval_tasks():
    from config.celery import app

    for entry in app.conf.beat_schedule.values():
        if entry["task"].startswith("approvals."):
            assert entry["task"] in app.tasks
    assert tasks.expire_stale_approval_requests.name == "approvals.tasks.expire_stale_approval_requests"
    assert tasks.remind_approvers_before_expiry.name == "approvals.tasks.remind_approvers_before_expiry"
