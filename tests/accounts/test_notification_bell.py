import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import approver, freelancer, hiring_manager, pending_request
from tests.factories.approvals import move_past_expiry
from tests.factories.notifications import NotificationFactory

pytestmark = pytest.mark.django_db


def test_bell_says_notifications_and_the_unread_count(client):
    talent = freelancer()
    NotificationFactory.create_batch(3, recipient=talent)
    NotificationFactory(recipient=talent, read_at=timezone.now())
    NotificationFactory(recipient=freelancer())  # someone else's
    client.force_login(talent)
    body = client.get("/proposals/invitations/").content.decode()
    assert '<a href="/notifications/" class="bell" aria-label="Notifications, 3 unread">' in body
    assert 'Notifications <span class="count bell-count">3</span>' in body


def test_bell_without_unread_says_notifications_with_no_count(client):
    talent = freelancer()
    NotificationFactory(recipient=talent, read_at=timezone.now())
    client.force_login(talent)
    body = client.get("/proposals/invitations/").content.decode()
    assert '<a href="/notifications/" class="bell">Notifications</a>' in body
    assert "bell-count" not in body
    assert "unread" not in body


def test_signed_out_pages_have_no_bell(client):
    body = client.get("/accounts/login/").content.decode()
    assert "Sign in" in body
    assert 'class="bell"' not in body


def test_approver_sees_requests_awaiting_their_decision_beside_approvals(client):
    boss = approver()
    company = boss.membership.company
    pending_request(company=company, approver=boss)
    pending_request(company=company, approver=boss)
    move_past_expiry(pending_request(company=company, approver=boss))
    pending_request(company=company)  # another approver's
    client.force_login(boss)
    body = client.get("/approvals/").content.decode()
    assert (
        'Approvals <span class="count">2<span class="visually-hidden"> awaiting your decision</span></span>'
        in body
    )


def test_approver_with_nothing_to_decide_sees_no_count(client):
    boss = approver()
    client.force_login(boss)
    body = client.get("/approvals/").content.decode()
    assert '<a href="/approvals/" aria-current="page" class="active">Approvals</a>' in body
    assert "awaiting your decision" not in body


def test_hiring_manager_sees_no_decision_count(client):
    manager = hiring_manager()
    pending_request(requester=manager)
    client.force_login(manager)
    body = client.get("/approvals/").content.decode()
    assert "Approvals" in body
    assert "awaiting your decision" not in body


def queries_on(client, url, table):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return [query["sql"] for query in queries if f'FROM "{table}"' in query["sql"]]


def test_the_bell_is_counted_in_the_query_that_loads_the_signed_in_user(client):
    client.force_login(freelancer())
    counts = queries_on(client, "/proposals/invitations/", "accounts_notification")
    assert len(counts) == 1
    assert counts[0].startswith('SELECT "accounts_user"."id"')
    assert "COUNT(" in counts[0].upper() and '"read_at" IS NULL' in counts[0]
    assert "LIMIT 100" in counts[0]  # counted up to the cap + 1


def test_the_decision_count_is_one_query_for_approvers_and_none_for_others(client):
    boss = approver()
    pending_request(company=boss.membership.company, approver=boss)
    client.force_login(boss)
    # On PostgreSQL the count adds up the approver's kept counts (approvals.DashboardCount); it
    # reads their dashboard entries only for seats past their deadline, in the same statement.
    counts = queries_on(client, "/jobs/", "approvals_dashboardcount")
    assert len(counts) == 1 and "sum(n)" in counts[0]
    [entries] = queries_on(client, "/jobs/", "approvals_dashboardentry")
    assert 'FROM "approvals_dashboardcount"' in entries
    assert queries_on(client, "/jobs/", "approvals_stepapprover") == []

    client.force_login(hiring_manager())
    assert queries_on(client, "/jobs/", "approvals_dashboardentry") == []
    assert queries_on(client, "/jobs/", "approvals_stepapprover") == []


def test_pages_without_the_top_bar_run_no_count_of_their_own(admin_client):
    # The count rides in the user's own query (accounts.backends), never a query of its own.
    counts = queries_on(admin_client, "/admin/", "accounts_notification")
    assert all(sql.startswith('SELECT "accounts_user"."id"') for sql in counts)



@pytest.fixture
def unread_cap_of_3(monkeypatch):
    from accounts import backends, context_processors

    monkeypatch.setattr(backends, "UNREAD_CAP", 3)
    monkeypatch.setattr(context_processors, "UNREAD_CAP", 3)
    # The user's lookup is built once per process (backends.signed_in_users): build it again
    # with this cap, and again with the real one after.
    backends._signed_in_users.cache_clear()
    yield
    backends._signed_in_users.cache_clear()


@pytest.mark.parametrize("unread, shown", [(3, "3"), (6, "3+")])
def test_the_bell_counts_no_further_than_its_cap(client, unread_cap_of_3, unread, shown):
    """An approver at a million requests has thousands unread: the bell says "3+" past its cap
    (99 in production) rather than count them all on every page; under it, the number."""
    from accounts import backends

    talent = freelancer()
    NotificationFactory.create_batch(unread, recipient=talent)
    client.force_login(talent)
    body = client.get("/proposals/invitations/").content.decode()
    assert f'aria-label="Notifications, {shown} unread"' in body
    assert f'Notifications <span class="count bell-count">{shown}</span>' in body
    # The user's row carries the count, read no further than the cap + 1.
    assert backends.signed_in_users().get(pk=talent.pk).unread_notification_count == min(unread, 4)
