"""The expiry sweep and the reminder scan write their notifications set-based, in the
transaction that changes the rows, and enqueue delivery one task per hundred."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

import accounts.tasks
from accounts.delivery import render_email
from accounts.models import Notification, NotificationSetting
from accounts.notifications import email_contexts
from accounts.timezones import format_for
from approvals import bulk, emails, services
from approvals.models import ApprovalRequest, ApprovalTransition
from tests.factories import JobFactory, hiring_manager, move_past_expiry

pytestmark = pytest.mark.django_db

Pending = Notification.EmailState.PENDING
Skipped = Notification.EmailState.SKIPPED


@pytest.fixture
def publishes(monkeypatch):
    """The delivery tasks published after commit: one list of notification ids per task."""
    published = []

    class FakeTask:
        @staticmethod
        def delay(ids):
            published.append(list(ids))

    monkeypatch.setattr(accounts.tasks, "deliver_notifications", FakeTask, raising=False)
    return published


def _stale_copies(approval_request, count):
    """``count`` more requests like this one (bulk, fast), all past their expiry."""
    fields = [f for f in ApprovalRequest._meta.concrete_fields if not f.primary_key]
    copies = ApprovalRequest.objects.bulk_create([
        ApprovalRequest(**{f.attname: getattr(approval_request, f.attname) for f in fields})
        for _ in range(count)
    ])
    ApprovalRequest.objects.filter(pk__in=[c.pk for c in copies]).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    return copies


def test_sweep_writes_one_notification_per_expired_request_to_its_requester(
    team, make_request, publishes, django_capture_on_commit_callbacks
):
    pending = move_past_expiry(make_request(title="Data engineer"))
    approved = make_request(title="SRE")
    services.approval_request_approve(approval_request_id=approved.pk, actor=team.approver)
    move_past_expiry(approved)
    fresh = make_request(title="Still pending")

    with django_capture_on_commit_callbacks(execute=True):
        assert services.approval_requests_expire_stale() == 2

    notifications = {n.key: n for n in Notification.objects.filter(kind="approval-expired")}
    assert set(notifications) == {f"approval-expired:{pending.pk}", f"approval-expired:{approved.pk}"}
    for approval_request, title in ((pending, "Your request “Data engineer” expired"),
                                    (approved, "Your approval for “SRE” expired")):
        notification = notifications[f"approval-expired:{approval_request.pk}"]
        assert notification.recipient == team.manager and notification.email == "maria@acme.test"
        assert notification.title == title
        assert notification.link == f"/approvals/{approval_request.pk}/"
        assert notification.template == "approvals/emails/expired"
        assert notification.email_state == Pending
        assert notification.context == {"approval_request_id": approval_request.pk}
        # The email is built from the request when it is sent.
        context = email_contexts([notification])[notification.pk]
        assert context["detail_url"] == f"http://testserver/approvals/{approval_request.pk}/"
        assert context["resubmit_url"] == f"http://testserver/approvals/{approval_request.pk}/resubmit/"
        assert context["approval_request"]["freelancer_display"] == "Ada Lovelace"
        assert context["approval_request"]["amount"] == "85.00 USD"
    contexts = email_contexts(notifications.values())
    decided = {key: contexts[n.pk]["approval_request"]["decided"] for key, n in notifications.items()}
    assert decided == {f"approval-expired:{pending.pk}": False, f"approval-expired:{approved.pk}": True}
    assert not Notification.objects.filter(key=f"approval-expired:{fresh.pk}").exists()
    assert sorted(sum(publishes, [])) == sorted(n.pk for n in notifications.values())


def test_sweep_skips_the_email_of_a_requester_who_turned_expiry_emails_off_but_keeps_the_entry(
    team, make_request, publishes, django_capture_on_commit_callbacks
):
    other_manager = hiring_manager(team.company, full_name="Nora Manager", email="nora@acme.test")
    NotificationSetting.objects.create(user=team.manager, kind="approval-expired", email_enabled=False)
    NotificationSetting.objects.create(user=other_manager, kind="approval-new", email_enabled=False)
    muted = move_past_expiry(make_request(title="Muted"))
    heard = move_past_expiry(make_request(title="Heard", requester=other_manager))

    with django_capture_on_commit_callbacks(execute=True):
        assert services.approval_requests_expire_stale() == 2

    muted_entry = Notification.objects.get(key=f"approval-expired:{muted.pk}")
    heard_entry = Notification.objects.get(key=f"approval-expired:{heard.pk}")
    assert (muted_entry.recipient, muted_entry.email_state) == (team.manager, Skipped)
    assert muted_entry.title == "Your request “Muted” expired" and muted_entry.read_at is None
    assert (heard_entry.recipient, heard_entry.email_state) == (other_manager, Pending)
    assert publishes == [[heard_entry.pk]]


def test_sweep_gives_the_expiry_time_in_the_requesters_zone_named(team, make_request, publishes):
    team.manager.time_zone = "Asia/Kolkata"
    team.manager.save(update_fields=["time_zone"])
    stale = move_past_expiry(make_request(title="Far away"))

    assert services.approval_requests_expire_stale() == 1

    stale.refresh_from_db()
    entry = Notification.objects.get(key=f"approval-expired:{stale.pk}")
    shown = email_contexts([entry])[entry.pk]["approval_request"]["expires_at"]
    assert shown == format_for(team.manager, stale.expires_at)
    assert shown.endswith(" IST")


def test_sweep_enqueues_one_delivery_task_per_hundred_notifications_after_each_batch(
    team, make_request, publishes, django_capture_on_commit_callbacks
):
    _stale_copies(make_request(), 250)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert services.approval_requests_expire_stale(batch_size=120) == 250
    assert publishes == []  # nothing before commit
    assert len(callbacks) == 3  # one per batch: 120, 120, 10
    for callback in callbacks:
        callback()
    assert [len(ids) for ids in publishes] == [100, 20, 100, 20, 10]
    assert sorted(sum(publishes, [])) == sorted(Notification.objects.values_list("pk", flat=True))
    assert Notification.objects.filter(kind="approval-expired", email_state=Pending).count() == 250


def test_sweep_run_twice_changes_nothing_the_second_time(
    team, make_request, publishes, django_capture_on_commit_callbacks
):
    _stale_copies(make_request(), 3)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.approval_requests_expire_stale() == 3
    before = (list(Notification.objects.values_list("pk", "key", "email_state", "context")),
              ApprovalTransition.objects.count(), list(ApprovalRequest.objects.values("pk", "updated_at")))

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert services.approval_requests_expire_stale() == 0

    after = (list(Notification.objects.values_list("pk", "key", "email_state", "context")),
             ApprovalTransition.objects.count(), list(ApprovalRequest.objects.values("pk", "updated_at")))
    assert after == before and len(before[0]) == 3
    assert callbacks == [] and len(publishes) == 1


def test_sweep_leaves_an_expiry_notification_already_written_as_it_is(team, make_request, publishes):
    stale = move_past_expiry(make_request(title="Data engineer"))
    written = Notification.objects.create(
        key=f"approval-expired:{stale.pk}", kind="approval-expired", recipient=team.manager,
        title="Written before", email_state=Skipped,
    )

    assert services.approval_requests_expire_stale() == 1

    stale.refresh_from_db()
    assert stale.state == "expired"
    entries = Notification.objects.filter(kind="approval-expired")
    assert list(entries.values_list("pk", "title", "email_state")) == [
        (written.pk, "Written before", Skipped)
    ]
    assert publishes == []


def test_sweep_runs_one_statement_per_batch_whatever_the_rows(team, make_request, django_assert_num_queries):
    _stale_copies(make_request(), 40)
    # The one statement, inside the test's transaction: between a SAVEPOINT and its RELEASE.
    with django_assert_num_queries(3) as captured:
        assert services.approval_requests_expire_stale() == 40
    [sql] = [q["sql"] for q in captured.captured_queries if "SAVEPOINT" not in q["sql"]]
    for part in ("FOR UPDATE SKIP LOCKED", "UPDATE approvals_approvalrequest",
                 "INSERT INTO approvals_approvaltransition", "INSERT INTO accounts_notification",
                 "FROM accounts_notificationsetting", "ON CONFLICT (key) DO NOTHING"):
        assert part in sql, part
    # Who decides a request is not the sweep's business: the email names them when it is sent.
    assert "approver" not in sql


def _variants(team, make_request):
    """Requests that exercise every value the expiry email reads."""
    big = JobFactory(company=team.company, posted_by=team.manager, title="Data platform")
    declined = make_request(title="First try")
    services.approval_request_decline(approval_request_id=declined.pk, actor=team.approver)
    return [
        {"title": "Hourly", "weekly_hour_limit": 25},
        {"title": "Fixed “big”", "contract_type": "fixed", "amount": Decimal("1234567.5"),
         "currency": "EUR", "weekly_hour_limit": None, "job": big, "justification": "Two\nlines"},
        {"title": "BYO", "offer_type": "byo", "freelancer": None, "freelancer_name": "Kim Byo",
         "freelancer_email": "kim@byo.test", "start_date": datetime.date(2027, 3, 5)},
        {"title": "Payroll, no name", "offer_type": "payroll", "freelancer": None,
         "freelancer_email": "anon@byo.test", "resubmission_of": declined},
        {"title": "Approved", "approve": True},
    ]


def _sweep_one(team, make_request, spec, single_statement, monkeypatch):
    spec = dict(spec)
    approve = spec.pop("approve", False)
    approval_request = make_request(**spec)
    if approve:
        services.approval_request_approve(approval_request_id=approval_request.pk, actor=team.approver)
    move_past_expiry(approval_request)
    monkeypatch.setattr(bulk, "single_statement", lambda: single_statement)
    assert services.approval_requests_expire_stale() == 1
    return Notification.objects.get(key=f"approval-expired:{approval_request.pk}"), approval_request


def _email(notification):
    """The email the relay would send for this notification now."""
    message = render_email(notification, email_contexts([notification])[notification.pk])
    return message.subject, message.body, message.alternatives[0][0]


def test_sql_sweep_writes_what_expired_notification_would_and_the_same_email(team, make_request, monkeypatch):
    """The PostgreSQL statement writes in SQL what emails.expired_notification builds in Python:
    the same key, recipient, title, link, template, context and email state, so the same email."""
    for spec in _variants(team, make_request):
        by_sql, approval_request = _sweep_one(team, make_request, spec, True, monkeypatch)
        approval_request.refresh_from_db()
        expected = Notification(**emails.expired_notification(approval_request))
        expected.email, expected.email_state = approval_request.requester.email, Pending
        for name in ("key", "kind", "recipient_id", "email", "title", "link", "template", "email_state",
                     "context"):
            assert getattr(by_sql, name) == getattr(expected, name), (spec["title"], name)
        assert _email(by_sql) == _email(expected), spec["title"]


def test_sql_and_orm_sweeps_write_the_same_notification(team, make_request, monkeypatch):
    """The PostgreSQL statement and the ORM path (used on SQLite) write the same row, value for
    value, and so the same email."""
    fields = ("kind", "recipient_id", "email", "title", "link", "template", "email_state")
    variants = _variants(team, make_request)
    for spec in variants:
        by_sql, sql_request = _sweep_one(team, make_request, spec, True, monkeypatch)
        by_orm, orm_request = _sweep_one(team, make_request, spec, False, monkeypatch)

        # What differs by construction: the request's id, in the links and the context.
        def normalise(values, request):
            return str(values).replace(f"/{request.pk}/", "/ID/")

        assert normalise({name: getattr(by_sql, name) for name in fields}, sql_request) == normalise(
            {name: getattr(by_orm, name) for name in fields}, orm_request
        ), spec["title"]
        assert by_sql.context == {"approval_request_id": sql_request.pk}
        assert by_orm.context == {"approval_request_id": orm_request.pk}
        # The expiry moments were set a moment apart; the rest of the email is the same.
        sql_email, orm_email = (
            normalise(_email(n), r).replace(emails_moment(r), "WHEN")
            for n, r in ((by_sql, sql_request), (by_orm, orm_request))
        )
        assert sql_email == orm_email, spec["title"]
    assert ApprovalTransition.objects.filter(name="expire").count() == 2 * len(variants)


def test_expired_emails_of_a_batch_are_built_in_two_queries(
    team, make_request, publishes, django_assert_num_queries
):
    """The requests, then who was still to decide each (the email names them): two queries for
    the batch, whatever its size."""
    _stale_copies(make_request(), 30)
    assert services.approval_requests_expire_stale() == 30
    notifications = list(Notification.objects.filter(kind="approval-expired"))

    with django_assert_num_queries(2):
        contexts = emails.expired_email_contexts(notifications)

    assert len(contexts) == 30
    assert {c["approval_request"]["freelancer_display"] for c in contexts.values()} == {"Ada Lovelace"}


def test_expired_email_of_a_row_with_its_whole_context_keeps_that_context(team, make_request):
    """Rows written before the email was built at send time carry their context: it is used."""
    approval_request = make_request(title="Old row")
    notification = Notification.objects.create(
        key=f"approval-expired:{approval_request.pk}", kind="approval-expired", recipient=team.manager,
        email=team.manager.email, title="Your request “Old row” expired", template=emails.EXPIRED_TEMPLATE,
        context=emails.expired_email_context(approval_request),
    )
    assert email_contexts([notification]) == {notification.pk: notification.context}


def emails_moment(approval_request):
    """How emails show a moment: in the requester's zone, named ("Mar 5, 2027 09:30 UTC")."""
    approval_request.refresh_from_db()
    return format_for(approval_request.requester, approval_request.expires_at)


def test_reminder_scan_notifies_each_approver_once_with_one_click_links(
    team, make_request, publishes, django_capture_on_commit_callbacks
):
    NotificationSetting.objects.create(user=team.outside_approver, kind="approval-reminder",
                                       email_enabled=False)
    due = make_request(title="Data engineer")
    muted = make_request(company=team.other_company, requester=team.outsider,
                         approver=team.outside_approver, title="Muted")
    later = make_request(title="Later")
    ApprovalRequest.objects.filter(pk__in=[due.pk, muted.pk]).update(
        expires_at=timezone.now() + datetime.timedelta(hours=20),
        created_at=timezone.now() - datetime.timedelta(days=13),
    )

    with django_capture_on_commit_callbacks(execute=True):
        assert sorted(services.approval_requests_mark_for_reminder()) == sorted([due.pk, muted.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert services.approval_requests_mark_for_reminder() == []

    reminder = Notification.objects.get(key__startswith=f"approval-reminder:{due.pk}:")
    assert (reminder.recipient, reminder.email_state, reminder.link) == (
        team.approver, Pending, f"/approvals/{due.pk}/"
    )
    assert reminder.title == "Reminder: decide “Data engineer” before it expires"
    for action in ("approve", "decline"):
        assert reminder.context[f"{action}_url"].startswith("http://testserver/approvals/email/")
    muted_entry = Notification.objects.get(key__startswith=f"approval-reminder:{muted.pk}:")
    assert (muted_entry.recipient, muted_entry.email_state) == (team.outside_approver, Skipped)
    assert not Notification.objects.filter(key__startswith=f"approval-reminder:{later.pk}:").exists()
    assert publishes == [[reminder.pk]]
