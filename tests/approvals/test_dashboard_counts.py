"""DashboardCount, the tab counts kept as they change: the triggers on the dashboard entries keep
their sums equal to a count of the entries (after every write path: test_dashboard_entries'
walk checks them with the entries; here a statement over many entries and a TRUNCATE), the
compaction folds them without losing a change, the dashboard and the top bar read them (not the
entries), and a database migrated forward counts the entries it already had."""

import threading
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from approvals import selectors, services
from approvals.models import ApprovalRequest, DashboardCount, DashboardEntry, State
from tests.concurrency import outcomes, run_together
from tests.factories import move_past_expiry
from tests.plans import plan

from .chain_helpers import ask, counted_entries, initech, kept_counts

pytestmark = pytest.mark.django_db


def assert_counts_follow_the_entries():
    assert kept_counts() == counted_entries()
    assert DashboardEntry.objects.exists()


def test_a_statement_over_many_entries_appends_one_row_per_key():
    people = initech()
    for i in range(6):
        ask(people, title=f"Request {i}", amount=str(Decimal(100 + i)))
    before, keys_before = DashboardCount.objects.count(), set(counted_entries())
    with connection.cursor() as cursor:  # what the bench loader and migration 0007 run
        cursor.execute("SELECT approvals_dashboard_refresh(ARRAY(SELECT id FROM approvals_approvalrequest))")
        assert DashboardCount.objects.count() == before  # nothing changed, nothing appended
        cursor.execute("UPDATE approvals_dashboardentry SET state = 'expired', awaiting = false")
    assert_counts_follow_the_entries()
    # Every entry changed: one row for each key they left and each they joined, not one per entry.
    keys = keys_before | set(counted_entries())
    assert DashboardCount.objects.count() - before == len(keys) < DashboardEntry.objects.count()


def test_a_truncate_of_the_entries_empties_the_counts():
    people = initech()
    ask(people, title="One")
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the test's transaction checks its keys now
        cursor.execute("TRUNCATE approvals_dashboardentry")
    assert not DashboardCount.objects.exists()


def test_compaction_folds_each_key_into_one_row_and_keeps_every_sum():
    people = initech()
    for i in range(4):
        request = ask(people, title=f"Request {i}", amount=str(Decimal(100 + i)))
        services.approval_request_approve(approval_request_id=request.pk, actor=people.lead)
    gone = ask(people, title="Gone")
    ApprovalRequest.objects.filter(pk=gone.pk).delete()  # its people's pending keys may add to 0
    sums = kept_counts()
    rows = DashboardCount.objects.count()
    assert rows > len(sums)
    services.dashboard_counts_compact()
    assert kept_counts() == sums == counted_entries()
    keys = list(DashboardCount.objects.values_list("user_id", "company_id", "state", "awaiting"))
    assert len(keys) == len(set(keys)) == len(sums)  # one row per key, none that adds up to 0
    assert services.dashboard_counts_compact() == 0  # nothing left to fold
    assert kept_counts() == sums


def test_compaction_runs_every_minute_in_the_beat_schedule():
    from config.celery import app

    entry = app.conf.beat_schedule["compact-dashboard-counts"]
    assert entry["task"] == "approvals.tasks.compact_dashboard_counts"
    from approvals.tasks import compact_dashboard_counts

    people = initech()
    ask(people, title="One")
    ask(people, title="Two")
    assert compact_dashboard_counts() > 0


def test_the_tabs_and_the_badge_read_the_kept_counts_not_the_entries(client):
    """Proof that the counts are read from DashboardCount: a row added there by hand shows in
    the tab and the badge, and the count statement reads the entries only for open seats past
    their deadline."""
    people = initech()
    for i in range(3):
        ask(people, title=f"Request {i}", amount=str(Decimal(100 + i)))
    DashboardCount.objects.create(
        user=people.lead, company=people.company, state=State.PENDING, awaiting=True, n=40
    )
    client.force_login(people.lead)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("approvals:dashboard")).content.decode()
    assert '<span class="count">43<span class="visually-hidden"> awaiting your decision</span>' in page
    assert selectors.approval_request_tab_counts(user=people.lead)["pending"] == 43
    reads_entries = [q["sql"] for q in queries.captured_queries if "approvals_dashboardentry" in q["sql"]]
    assert all("e.expires_at <=" in sql or "ORDER BY" in sql for sql in reads_entries), reads_entries
    # A search counts its matches in each tab, and the badge, kept, in the same statement.
    with CaptureQueriesContext(connection) as searched:
        page = client.get(reverse("approvals:dashboard") + "?q=Request").content.decode()
    assert '<span class="count">43<span class="visually-hidden"> awaiting your decision</span>' in page
    assert len(searched.captured_queries) <= len(queries.captured_queries)
    assert sum("approvals_dashboardcount" in q["sql"] for q in searched.captured_queries) == 1


def test_a_seat_past_its_deadline_not_yet_swept_awaits_no_one(client):
    people = initech()
    waiting = ask(people, title="Waiting", amount="101")
    late = ask(people, title="Late", amount="102")
    move_past_expiry(late)  # the sweep has not run: its entry is still pending and awaiting
    assert DashboardEntry.objects.get(user=people.lead, request=late).awaiting
    assert selectors.awaiting_decision_count(people.lead) == 1
    counts = selectors.approval_request_tab_counts(user=people.lead)
    assert counts["pending"] == 2  # still pending until the sweep: the tab lists it, last
    assert people.lead._approvals_awaiting_count == 1
    client.force_login(people.lead)
    page = client.get(reverse("notifications:list")).content.decode()
    assert '<span class="count">1<span class="visually-hidden"> awaiting your decision</span>' in page
    assert waiting.pk != late.pk


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_database_migrated_forward_counts_the_entries_it_had():
    people = initech()
    for i in range(3):
        ask(people, title=f"Request {i}", amount=str(Decimal(100 + i)))
    before = counted_entries()
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    try:
        executor.migrate([("approvals", "0010_dashboard_refresh_in_place")])
        with connection.cursor() as cursor:
            assert "approvals_dashboardcount" not in connection.introspection.table_names(cursor)
        MigrationExecutor(connection).migrate(latest)
        assert DashboardEntry.objects.count() == sum(before.values())
        assert kept_counts() == before
        assert DashboardCount.objects.count() == len(before)  # one row per key
    finally:
        MigrationExecutor(connection).migrate(latest)


def test_the_open_seats_past_their_deadline_are_read_from_their_index_in_a_generic_plan():
    """The Pending tab's late seats and the kept awaiting count's correction read the open seats'
    index; as prepared statements bind the state, its condition is the flag alone (an index on
    state = 'pending' was out of the generic plan, which walked every open seat of the reader)."""
    people = initech()
    ask(people, title="Request", amount="101")
    late = DashboardEntry.objects.filter(
        user_id=people.lead.pk, company_id=people.company.pk, state=State.PENDING, awaiting=True,
        expires_at__lte=timezone.now(),
    ).values("request_id")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the test's writes checked before DDL
        # The other indexes that start with the user are cheaper on a table this small; without
        # them the planner takes the open seats' index if the plan can use it at all.
        for index in ("dashboard_entry_tab", "dashboard_entry_unique"):
            cursor.execute(f"ALTER TABLE approvals_dashboardentry DROP CONSTRAINT IF EXISTS {index}")
            cursor.execute(f"DROP INDEX IF EXISTS {index}")
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'approvals_dashboardentry' "
            "AND indexdef LIKE '%(user_id)'"
        )
        for (index,) in cursor.fetchall():
            cursor.execute(f'DROP INDEX "{index}"')
        for generic in (False, True):
            found = plan(late, generic=generic, analyze=False)
            assert "dashboard_entry_open_seats" in found, found
        transaction.set_rollback(True)


@pytest.mark.django_db(transaction=True)
def test_two_decisions_on_one_approvers_counts_do_not_wait_for_each_other():
    """The counts are appended, never updated in place: a decision (or a sweep's batch) still in
    its transaction holds no lock that another write to the same approver's counts waits for."""
    people = initech()
    first, second = ask(people, title="First", amount="101"), ask(people, title="Second", amount="102")
    decided, released = threading.Event(), threading.Event()

    def hold_open():
        with transaction.atomic():
            services.approval_request_approve(approval_request_id=first.pk, actor=people.lead)
            decided.set()
            released.wait(10)

    def decide_meanwhile():
        try:
            decided.wait(10)
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout = '2s'")  # waiting would be the failure
                services.approval_request_approve(approval_request_id=second.pk, actor=people.lead)
        finally:
            released.set()

    assert outcomes(run_together(hold_open, decide_meanwhile)) == ["ok", "ok"]
    assert kept_counts() == counted_entries()
    assert selectors.approval_request_tab_counts(user=people.lead)["approved"] == 2
