"""DashboardEntry, the indexed copy the dashboard reads: the triggers keep it equal to what the
chain says after every write path, and the indexed reads return the rows the straightforward
query over the chain returns, in the same order."""

import datetime
import random
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from approvals import selectors, services
from approvals.models import (
    ApprovalRequest,
    DashboardEntry,
    Decision,
    State,
    StepApprover,
    StepState,
)
from tests.factories import approver, hiring_manager, move_past_expiry

from .chain_helpers import ask, counted_entries, initech, kept_counts

pytestmark = pytest.mark.django_db


def expected_entries() -> set[tuple]:
    """The entries as the chain says they should be: (user, request, state, awaiting, is_requester)."""
    rows: dict[tuple, list] = {}
    for approval_request in ApprovalRequest.objects.all():
        rows[(approval_request.requester_id, approval_request.pk)] = [approval_request.state, False, True]
    for seat in StepApprover.objects.select_related("step", "request"):
        entry = rows.setdefault((seat.approver_id, seat.request_id), [seat.request.state, False, False])
        entry[1] |= seat.decision == Decision.PENDING and seat.step.state == StepState.ACTIVE
    return {
        (user, request, state, awaiting and state == State.PENDING and not is_requester, is_requester)
        for (user, request), (state, awaiting, is_requester) in rows.items()
    }


def actual_entries() -> set[tuple]:
    return set(
        DashboardEntry.objects.values_list("user_id", "request_id", "state", "awaiting", "is_requester")
    )


def assert_entries_follow_the_chain():
    assert actual_entries() == expected_entries()
    assert DashboardEntry.objects.exists()
    assert kept_counts() == counted_entries()  # the tab counts kept from them (DashboardCount)


def test_entries_follow_every_write_path():
    people = initech()
    first = ask(people, title="Two steps")  # lead, then finance
    assert_entries_follow_the_chain()
    services.approval_request_approve(approval_request_id=first.pk, actor=people.lead)  # step passes
    assert_entries_follow_the_chain()
    assert DashboardEntry.objects.get(user=people.cfo, request=first).awaiting
    services.approval_request_approve(approval_request_id=first.pk, actor=people.cfo)
    services.approval_request_approve(approval_request_id=first.pk, actor=people.controller)
    assert_entries_follow_the_chain()
    assert DashboardEntry.objects.get(user=people.manager, request=first).state == State.APPROVED
    # consume and release
    with services.transaction.atomic():
        locked = services.approval_request_lock(approval_request_id=first.pk)
        services.approval_request_consume(approval_request=locked, actor=people.manager)
    assert DashboardEntry.objects.get(user=people.lead, request=first).state == State.CONSUMED
    with services.transaction.atomic():
        locked = services.approval_request_lock(approval_request_id=first.pk)
        services.approval_request_release(approval_request=locked, actor=people.manager, comment="Withdrawn.")
    assert_entries_follow_the_chain()
    # decline, cancel
    declined = ask(people, title="Declined")
    services.approval_request_decline(approval_request_id=declined.pk, actor=people.lead, comment="No")
    cancelled = ask(people, title="Cancelled")
    services.approval_request_cancel(approval_request_id=cancelled.pk, actor=people.manager)
    assert_entries_follow_the_chain()
    # reassign: the seat changes hands
    moved = ask(people, title="Moved")
    newcomer = approver(people.company, full_name="Nina Newcomer")
    seat = StepApprover.objects.get(request=moved, approver=people.lead)
    services.step_approver_reassign(
        step_approver_id=seat.pk, new_approver=newcomer, actor=people.manager, reason="Holiday"
    )
    assert_entries_follow_the_chain()
    assert DashboardEntry.objects.get(user=newcomer, request=moved).awaiting
    assert not DashboardEntry.objects.filter(user=people.lead, request=moved).exists()
    # the sweep's single statement, and an expiry past the window
    stale = ask(people, title="Stale")
    move_past_expiry(stale)
    assert services.approval_requests_expire_stale() == 1
    assert_entries_follow_the_chain()
    assert DashboardEntry.objects.get(user=people.lead, request=stale).state == State.EXPIRED
    # deleting a request deletes its entries
    ApprovalRequest.objects.filter(pk=declined.pk).delete()
    assert_entries_follow_the_chain()


def _row_version(user, request) -> str:
    """Where the entry's current row version lies: an UPDATE writes a new one elsewhere."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ctid::text FROM approvals_dashboardentry WHERE user_id = %s AND request_id = %s",
            [user.pk, request.pk],
        )
        return cursor.fetchone()[0]


def test_a_decision_updates_the_entries_in_place():
    """A decision rewrites only the entries whose values changed, in place: the request's
    entries keep their rows (not deleted and inserted again on each of the decision's UPDATEs),
    and a person whose entry did not change is not written at all."""
    people = initech()
    request = ask(people, title="Two steps")  # lead, then finance (cfo, controller)
    rows = dict(DashboardEntry.objects.filter(request=request).values_list("user_id", "id"))
    requester_version = _row_version(people.manager, request)
    services.approval_request_approve(approval_request_id=request.pk, actor=people.lead)  # step passes
    assert_entries_follow_the_chain()
    assert dict(DashboardEntry.objects.filter(request=request).values_list("user_id", "id")) == rows
    assert _row_version(people.manager, request) == requester_version  # unchanged: not rewritten
    services.approval_request_approve(approval_request_id=request.pk, actor=people.cfo)
    services.approval_request_approve(approval_request_id=request.pk, actor=people.controller)
    assert_entries_follow_the_chain()
    assert dict(DashboardEntry.objects.filter(request=request).values_list("user_id", "id")) == rows


def test_backfill_rebuilds_existing_requests_set_based():
    people = initech()
    for i in range(5):
        ask(people, title=f"Request {i}")
    before = actual_entries()
    DashboardEntry.objects.all().delete()
    with connection.cursor() as cursor:  # the statement migration 0007 ends with
        cursor.execute("SELECT approvals_dashboard_refresh(ARRAY(SELECT id FROM approvals_approvalrequest))")
    assert actual_entries() == before == expected_entries()


def _straightforward(user, tab, search=""):
    """The dashboard's query over the chain (what it read before DashboardEntry)."""
    rows = selectors.approval_requests_for_dashboard(user=user, tab=tab, search=search)
    return [(row.pk, row.awaiting_me) for row in rows]


def _indexed(user, tab, search=""):
    rows = selectors.DashboardRows(user=user, state=selectors.TAB_STATES[tab], search=search)
    return [(row.pk, row.awaiting_me) for row in rows[0:rows.count_to(10**6)]]


def test_indexed_reads_return_the_rows_of_the_straightforward_query():
    people = initech()
    second_manager = hiring_manager(people.company, full_name="Hugo Second")
    rng = random.Random(7)
    now = timezone.now()
    requests = []
    for i in range(60):
        requester = rng.choice([people.manager, second_manager])
        amount = rng.choice(["100", "6000"])  # one step, or two
        title = rng.choice(["Data engineer", "Designer", "Billing rewrite"]) + f" {i}"
        requests.append(ask(people, title=title, amount=amount, requester=requester))
    ApprovalRequest.objects.filter(pk__in=[r.pk for r in requests]).update(
        created_at=now - datetime.timedelta(hours=1)
    )  # ties on created_at: the id breaks them
    for approval_request in requests:
        action = rng.choice(["none", "approve", "decline", "cancel", "expire", "stale"])
        if action == "approve":
            services.approval_request_approve(approval_request_id=approval_request.pk, actor=people.lead)
        elif action == "decline":
            services.approval_request_decline(approval_request_id=approval_request.pk, actor=people.lead)
        elif action == "cancel":
            services.approval_request_cancel(
                approval_request_id=approval_request.pk, actor=approval_request.requester
            )
        elif action in ("expire", "stale"):
            move_past_expiry(approval_request)
    services.approval_requests_expire_stale(batch_size=3)
    for approval_request in rng.sample(requests, 5):  # past the window, not swept yet
        if approval_request.state == State.PENDING:
            move_past_expiry(approval_request)
    for user in (people.manager, second_manager, people.lead, people.cfo, people.controller):
        assert selectors._reads_entries(user)
        for tab in selectors.TAB_STATES:
            for search in ("", "data", "designer 1"):
                assert _indexed(user, tab, search) == _straightforward(user, tab, search), (user, tab, search)
        counts = selectors.approval_request_tab_counts(user=user)
        for tab in selectors.TAB_STATES:
            assert counts[tab] == len(_straightforward(user, tab))
            # Read again now that the counts say whether the user has an open seat (a Pending tab
            # without one reads like any other tab), and a later page's window by its ids.
            assert _indexed(user, tab) == _straightforward(user, tab), (user, tab)
            rows = selectors.DashboardRows(user=user, state=selectors.TAB_STATES[tab], search="")
            window = [(row.pk, row.awaiting_me) for row in rows[3:9]]
            assert window == _straightforward(user, tab)[3:9], (user, tab)
        user.__dict__.pop("_approvals_reads_entries")
        assert selectors.awaiting_decision_count(user) == sum(
            1 for _, awaiting in _straightforward(user, "pending") if awaiting == 0
        )


@pytest.mark.parametrize("tab", list(selectors.TAB_STATES))
@pytest.mark.parametrize("who", ["manager", "lead"])
@pytest.mark.parametrize("search", ["", "Billing"])
def test_every_tab_runs_the_same_queries_for_1_and_40_requests(client, who, tab, search):
    people = initech()
    user = getattr(people, who)
    client.force_login(user)
    url = f"{reverse('approvals:dashboard')}?tab={tab}&q={search}"
    numbers = iter(range(100))

    def make(n):
        for _ in range(n):
            approval_request = ask(people, amount="100", title=f"Billing rewrite {next(numbers)}")
            if tab != "pending":
                _to_tab(people, approval_request, tab)

    make(1)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    make(40)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count("Billing rewrite") >= 20
    assert len(many.captured_queries) == len(one.captured_queries)


def _to_tab(people, approval_request, tab):
    if tab in ("approved", "used"):
        services.approval_request_approve(approval_request_id=approval_request.pk, actor=people.lead)
        if tab == "used":
            with services.transaction.atomic():
                locked = services.approval_request_lock(approval_request_id=approval_request.pk)
                services.approval_request_consume(approval_request=locked, actor=people.manager)
    elif tab == "declined":
        services.approval_request_decline(approval_request_id=approval_request.pk, actor=people.lead)
    elif tab == "cancelled":
        services.approval_request_cancel(approval_request_id=approval_request.pk, actor=people.manager)
    elif tab == "expired":
        move_past_expiry(approval_request)
        services.approval_requests_expire_stale()


def test_a_count_past_the_cap_shows_as_more_and_the_pages_go_on(client, monkeypatch):
    monkeypatch.setattr(selectors, "COUNT_CAP", 3)
    people = initech()
    for i in range(5):
        ask(people, title=f"Request {i}", amount=str(Decimal(100 + i)))
    client.force_login(people.lead)
    page = client.get(reverse("approvals:dashboard")).content.decode()
    assert '<span class="count">3+</span>' in page
    assert "Request 4" in page and "Request 0" in page


def _byo(people, *, title, name, email):
    return services.approval_request_create(
        requester=people.manager, title=title, amount=Decimal("100"), contract_type="fixed", currency="USD",
        start_date=timezone.localdate() + datetime.timedelta(days=7), freelancer=None,
        freelancer_name=name, freelancer_email=email,
    )


def test_a_search_reads_the_words_copied_onto_the_entries_as_the_request_holds_them():
    people = initech()
    marketplace = ask(people, title="Search relevance")
    byo = _byo(people, title="Payroll audit", name="Alan Turing", email="alan@byo.example")
    name, email = people.freelancer.full_name, people.freelancer.email
    for search, expected in [
        ("relevance", {marketplace.pk}), ("PAYROLL", {byo.pk}), (name.split()[0].lower(), {marketplace.pk}),
        ("turing", {byo.pk}), ("byo.exam", {byo.pk}),
        # A marketplace freelancer's email matches only whole, in any case.
        (email.upper(), {marketplace.pk}), (email[:4], set()), (email.split("@")[1], set()),
    ]:
        assert {pk for pk, _ in _indexed(people.manager, "pending", search)} == expected, search
        assert {pk for pk, _ in _straightforward(people.manager, "pending", search)} == expected, search
    # A title changed, a freelancer renamed: the entries follow.
    ApprovalRequest.objects.filter(pk=byo.pk).update(title="Ledger migration")
    people.freelancer.full_name = "Grace Renamed"
    people.freelancer.save()
    assert [pk for pk, _ in _indexed(people.manager, "pending", "ledger")] == [byo.pk]
    assert [pk for pk, _ in _indexed(people.manager, "pending", "payroll")] == []
    assert [pk for pk, _ in _indexed(people.manager, "pending", "renamed")] == [marketplace.pk]
    assert [pk for pk, _ in _indexed(people.lead, "pending", "grace renamed")] == [marketplace.pk]


def test_a_search_matches_what_a_case_insensitive_contains_matches_whatever_it_holds():
    """The words are stored upper-cased and the term folded once per statement: the same rows as
    Django's icontains over the request, for wildcards typed as text, backslashes, any case."""
    people = initech()
    for title in ["100% match", "100 match", "a_b plan", "axb", "back\\slash", "Ünïcödé Straße", "MiXeD"]:
        _byo(people, title=title, name="Ada Byo", email="ada@byo.example")
    for search in ["100%", "100", "a_b", "_", "%", "\\", "back\\s", "ünïcödé", "Straße", "mixed", "x"]:
        indexed = {pk for pk, _ in _indexed(people.manager, "pending", search)}
        assert indexed == {pk for pk, _ in _straightforward(people.manager, "pending", search)}, search
    assert len({pk for pk, _ in _indexed(people.manager, "pending", "100%")}) == 1
    assert len({pk for pk, _ in _indexed(people.manager, "pending", "a_b")}) == 1


def test_a_search_folds_the_term_once_not_each_entry_it_walks():
    people = initech()
    ask(people, title="Search relevance")
    assert DashboardEntry.objects.filter(user=people.lead).get().search_text.startswith("SEARCH RELEVANCE")
    sql, _ = selectors._entries(people.lead, "relevance").query.sql_with_params()
    assert 'UPPER("approvals_dashboardentry"' not in sql  # no entry is upper-cased when read
    assert '"search_text" LIKE (SELECT' in sql and '"freelancer_account_email" = (SELECT UPPER(' in sql


def test_a_search_walks_the_tab_index_alone():
    people = initech()
    ask(people, title="Search relevance")
    entries = selectors._entries(people.lead, "relevance").filter(state="pending")
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        sql, params = entries.values("request_id").query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("RESET enable_seqscan")
    assert "Index Only Scan using dashboard_entry_tab" in plan
    assert "approvals_approvalrequest" not in plan


def test_past_the_cap_the_first_pages_count_no_more_than_under_it(client, monkeypatch):
    """At a million requests the busiest approver's tabs hold 20,000 rows, past the counts' cap:
    the first pages reuse the tab's capped count; only a page past the cap counts again."""
    from approvals import views

    monkeypatch.setattr(selectors, "COUNT_CAP", 5)
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    people = initech()
    client.force_login(people.lead)
    url = reverse("approvals:dashboard")

    def rendered(path):
        with CaptureQueriesContext(connection) as queries:
            page = client.get(path).content.decode()
        return len(queries), page

    for i in range(3):
        ask(people, title=f"Request {i}", amount=str(Decimal(100 + i)))
    under, _ = rendered(url)
    for i in range(3, 9):
        ask(people, title=f"Request {i}", amount=str(Decimal(100 + i)))
    over, page = rendered(url)
    assert over == under
    assert '<span class="count">5+</span>' in page and "Request 8" in page
    deep, page = rendered(url + "?page=4")
    assert deep == under + 2  # counted again; the ids as far as the page's end, then its requests
    assert "Request 2" in page and "Request 1" in page


def test_the_awaiting_badge_stops_at_the_cap_like_the_tabs(client, monkeypatch):
    """The busiest approver has thousands of requests awaiting them at a million rows: the top
    bar's badge counts no further than the tabs do ("3+" here), on every page it shows."""
    monkeypatch.setattr(selectors, "COUNT_CAP", 3)
    people = initech()
    for i in range(5):
        ask(people, title=f"Request {i}", amount=str(Decimal(100 + i)))
    assert selectors.awaiting_decision_count(people.lead) == 4
    client.force_login(people.lead)
    badge = '<span class="count">3+<span class="visually-hidden"> awaiting your decision</span>'
    for url in (reverse("approvals:dashboard"), reverse("notifications:list")):
        assert badge in client.get(url).content.decode(), url


def test_the_awaiting_badge_is_exact_under_the_cap(client, monkeypatch):
    monkeypatch.setattr(selectors, "COUNT_CAP", 3)
    people = initech()
    for i in range(2):
        ask(people, title=f"Request {i}", amount=str(Decimal(100 + i)))
    client.force_login(people.lead)
    page = client.get(reverse("notifications:list")).content.decode()
    assert '<span class="count">2<span class="visually-hidden"> awaiting your decision</span>' in page


def test_the_triggers_that_follow_decisions_plan_their_statements_once_per_connection():
    """Planned again on every call, they cost four times what they run (0013)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT proname, proconfig FROM pg_proc WHERE proname IN "
            "('approvals_dashboard_seat_updated', 'approvals_dashboard_step_updated', "
            "'approvals_dashboard_awaiting')"
        )
        settings = dict(cursor.fetchall())
    assert sorted(settings) == [
        "approvals_dashboard_awaiting",
        "approvals_dashboard_seat_updated",
        "approvals_dashboard_step_updated",
    ]
    assert all(config == ["plan_cache_mode=force_generic_plan"] for config in settings.values())


def test_postgresql_knows_how_the_entries_key_columns_go_together():
    """Extended statistics (0014): with each column's frequency alone, PostgreSQL expected 7 open
    seats where the busiest approver has 5,597, and its plans with the values read the Pending
    tab's first page by sorting every one of them (71-92 ms at 1,000,000 requests)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT s.stxkind, array_agg(a.attname ORDER BY a.attname) FROM pg_statistic_ext s "
            "JOIN pg_attribute a ON a.attrelid = s.stxrelid AND a.attnum = ANY(s.stxkeys) "
            "WHERE s.stxname = 'dashboard_entry_key_stats' "
            "AND s.stxrelid = 'approvals_dashboardentry'::regclass GROUP BY s.stxkind"
        )
        kinds, columns = cursor.fetchone()
    assert kinds == ["m"]  # the most common combinations (with dependencies, the search's plan erred)
    assert columns == ["awaiting", "company_id", "state", "user_id"]
