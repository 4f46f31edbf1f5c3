"""A reader's busy pages are kept rendered (accounts.pagecache) and rendered again as soon as a
committed write changes what they show: the reader's own, their company's or everyone's."""

import pytest
from django.conf import settings
from django.db import connection
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import pagecache
from accounts.models import Notification, PageTouch
from accounts.services import notifications_mark_all_read
from approvals.services import approval_request_approve
from tests.factories import (
    approver,
    direct_invite,
    freelancer,
    hiring_manager,
    pending_request,
    set_referral_settings,
)
from tests.factories.notifications import NotificationFactory, notifications_for_inbox

pytestmark = pytest.mark.django_db

DASHBOARD = "/approvals/"
INBOX = "/notifications/"
INVITATIONS = "/proposals/invitations/"


def _browser(user) -> Client:
    browser = Client()
    browser.cookies[settings.CSRF_COOKIE_NAME] = _get_new_csrf_string()
    browser.force_login(user)
    return browser


def _read(browser, url) -> tuple[str, int]:
    """The page and how many queries it took."""
    with CaptureQueriesContext(connection) as queries:
        response = browser.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


@pytest.fixture
def desk():
    manager = hiring_manager()
    company = manager.membership.company
    boss = approver(company)
    request = pending_request(
        company=company, requester=manager, approver=boss, title="Data pipeline rewrite"
    )
    return manager, boss, request


def test_a_page_read_again_is_served_as_rendered_in_two_queries(desk):
    manager, boss, _ = desk
    browser = _browser(boss)
    first, rendered = _read(browser, DASHBOARD)
    again, served = _read(browser, DASHBOARD)
    assert again == first
    assert "Data pipeline rewrite" in again
    assert served == 2  # the session, and the key (the reader's touches)
    assert rendered > served


def test_a_decision_shows_at_once_to_the_approver_and_the_requester(desk):
    manager, boss, request = desk
    approver_browser, manager_browser = _browser(boss), _browser(manager)
    for browser in (approver_browser, manager_browser):
        assert "Data pipeline rewrite" in _read(browser, DASHBOARD)[0]
    approval_request_approve(approval_request_id=request.pk, actor=boss)
    assert "Data pipeline rewrite" not in _read(approver_browser, DASHBOARD)[0]  # Pending is empty now
    assert "Data pipeline rewrite" in _read(manager_browser, DASHBOARD + "?tab=approved")[0]
    assert "Data pipeline rewrite" not in _read(manager_browser, DASHBOARD)[0]


def test_the_request_page_shows_the_decision_after_the_approver_posts_it(client, desk):
    manager, boss, request = desk
    client.force_login(boss)
    url = reverse("approvals:detail", args=[request.pk])
    assert "Your decision" in client.get(url).content.decode()
    decide = reverse("approvals:decide", args=[request.pk])
    response = client.post(decide, {"decision": "approve"}, follow=True)
    page = response.content.decode()
    assert "Your decision" not in page
    assert "Approved" in page


def test_a_message_waiting_is_shown_and_the_page_is_not_kept_with_it(client, desk):
    manager, boss, request = desk
    client.force_login(boss)
    client.get(DASHBOARD)
    client.post(reverse("approvals:decide", args=[request.pk]), {"decision": "approve"})
    page = client.get(DASHBOARD).content.decode()
    assert '<ul class="messages" role="status">' in page  # the decision's confirmation
    again = client.get(DASHBOARD).content.decode()
    assert '<ul class="messages" role="status">' not in again  # shown once, not kept in the page


def test_reading_the_inbox_updates_the_bell_and_the_list(client):
    talent = freelancer()
    notifications_for_inbox(talent, 3)
    client.force_login(talent)
    before = client.get(INBOX).content.decode()
    assert "3<span" in before or "3 unread" in before.replace("\n", " ")
    notifications_mark_all_read(user=talent)
    after = client.get(INBOX).content.decode()
    assert after != before
    assert not Notification.objects.filter(recipient=talent, read_at__isnull=True).exists()


def test_a_new_notification_shows_on_the_next_read(client):
    talent = freelancer()
    client.force_login(talent)
    assert "A brand new entry" not in client.get(INBOX).content.decode()
    NotificationFactory(recipient=talent, title="A brand new entry")
    assert "A brand new entry" in client.get(INBOX).content.decode()


def test_a_job_renamed_shows_in_the_invitations_of_everyone_invited(client):
    invite = direct_invite()
    client.force_login(invite.freelancer)
    assert invite.job.title in client.get(INVITATIONS).content.decode()
    invite.job.title = "Renamed: Search relevance"
    invite.job.save()
    assert "Renamed: Search relevance" in client.get(INVITATIONS).content.decode()


def test_a_company_renamed_shows_to_the_freelancers_it_invited(client):
    invite = direct_invite()
    client.force_login(invite.freelancer)
    client.get(INVITATIONS)
    company = invite.job.company
    company.name = "Globex Renamed Ltd"
    company.save()
    assert "Globex Renamed Ltd" in client.get(INVITATIONS).content.decode()


def test_a_person_renamed_shows_on_their_colleagues_pages(desk):
    manager, boss, _ = desk
    browser = _browser(boss)
    _read(browser, DASHBOARD)
    manager.full_name = "Margaret Renamed"
    manager.save()
    assert "Margaret Renamed" in _read(browser, DASHBOARD)[0]


def test_the_referral_rollout_changes_the_invitations_page():
    set_referral_settings(rollout_percentage=0)
    invite = direct_invite()
    browser = _browser(invite.freelancer)
    _read(browser, INVITATIONS)
    assert _read(browser, INVITATIONS)[1] == 2  # kept
    set_referral_settings(rollout_percentage=100)
    assert _read(browser, INVITATIONS)[1] > 2  # rendered again: who may refer changed


def test_another_companys_write_keeps_the_page(desk):
    manager, boss, _ = desk
    browser = _browser(boss)
    _read(browser, DASHBOARD)
    other = hiring_manager()
    pending_request(company=other.membership.company, requester=other)
    _, queries = _read(browser, DASHBOARD)
    assert queries == 2


def test_another_browser_of_the_same_person_gets_its_own_page(desk):
    _, boss, _ = desk
    one, two = _browser(boss), _browser(boss)
    first, _ = _read(one, DASHBOARD)
    second, queries = _read(two, DASHBOARD)
    assert queries > 2  # its own session and CSRF cookie: its forms carry its own token
    token = two.cookies[settings.CSRF_COOKIE_NAME].value
    assert first != second and token


def test_a_signed_out_session_is_not_served_its_old_page(desk):
    _, boss, _ = desk
    browser = _browser(boss)
    _read(browser, DASHBOARD)
    cookie = browser.cookies[settings.SESSION_COOKIE_NAME].value
    browser.post(reverse("accounts:logout"))
    stale = Client()
    stale.cookies[settings.SESSION_COOKIE_NAME] = cookie
    stale.cookies[settings.CSRF_COOKIE_NAME] = browser.cookies[settings.CSRF_COOKIE_NAME].value
    response = stale.get(DASHBOARD)
    assert response.status_code == 302


def test_a_deactivated_person_is_not_served_their_page(desk):
    _, boss, _ = desk
    browser = _browser(boss)
    _read(browser, DASHBOARD)
    boss.is_active = False
    boss.save()
    assert browser.get(DASHBOARD).status_code == 302


def test_staff_pages_are_always_rendered(desk):
    _, boss, _ = desk
    boss.is_staff = True
    boss.save()
    browser = _browser(boss)
    _, first = _read(browser, DASHBOARD)
    _, second = _read(browser, DASHBOARD)
    assert second == first > 2


def test_without_a_csrf_cookie_the_page_is_rendered_and_not_kept(desk):
    _, boss, _ = desk
    browser = Client()
    browser.force_login(boss)
    _, first = _read(browser, DASHBOARD)
    browser.cookies.pop(settings.CSRF_COOKIE_NAME, None)
    _, second = _read(browser, DASHBOARD)
    assert second == first > 2


def test_turned_off_every_read_renders(desk, settings):
    settings.PAGE_CACHE_SECONDS = 0
    _, boss, _ = desk
    browser = _browser(boss)
    _, first = _read(browser, DASHBOARD)
    _, second = _read(browser, DASHBOARD)
    assert second == first > 2


# The record of writes (PageTouch) and the key.


def _touches(kind, owner) -> int:
    return PageTouch.objects.filter(kind=kind, owner=owner).count()


def test_a_statement_over_many_rows_writes_one_touch_per_scope():
    talent = freelancer()
    notifications_for_inbox(talent, 30)
    before = _touches("u", talent.pk)
    Notification.objects.filter(recipient=talent).update(read_at="2026-01-01T00:00:00Z")
    assert _touches("u", talent.pk) == before + 1


def test_the_outboxs_delivery_columns_touch_nothing():
    talent = freelancer()
    notification = NotificationFactory(recipient=talent)
    before = PageTouch.objects.count()
    Notification.objects.filter(pk=notification.pk).update(email_state="sent", email_attempts=1)
    assert PageTouch.objects.count() == before


def test_signing_in_touches_nothing(client, password):
    talent = freelancer()
    before = PageTouch.objects.count()
    talent.last_login = "2026-01-01T00:00:00Z"
    talent.save(update_fields=["last_login"])
    assert PageTouch.objects.count() == before


def _key(user):
    browser = _browser(user)
    request = browser.get(DASHBOARD).wsgi_request
    return pagecache.page_key(request)


def test_a_late_commit_with_a_smaller_id_still_changes_the_key(desk):
    manager, _, _ = desk
    PageTouch.objects.create(kind="u", owner=manager.pk)
    newest = PageTouch.objects.order_by("-id").first().pk
    browser = _browser(manager)
    request = browser.get(DASHBOARD).wsgi_request
    before = pagecache.page_key(request)
    # A transaction that took its id before the newest one but commits after it.
    PageTouch.objects.create(id=newest - 1000000, kind="u", owner=manager.pk)
    assert pagecache.page_key(request) != before


def test_compacting_keeps_one_touch_per_scope_and_changes_the_keys(desk):
    manager, _, _ = desk
    for _ in range(3):
        PageTouch.objects.create(kind="u", owner=manager.pk)
    browser = _browser(manager)
    request = browser.get(DASHBOARD).wsgi_request
    before = pagecache.page_key(request)
    deleted = pagecache.compact_page_touches()
    assert deleted > 0
    assert _touches("u", manager.pk) == 1
    after = pagecache.page_key(request)
    assert after != before
    # A write after compaction changes the key again.
    PageTouch.objects.create(kind="u", owner=manager.pk)
    assert pagecache.page_key(request) not in (before, after)


def test_beat_compacts_the_touches_every_minute(desk):
    from accounts.tasks import compact_page_touches
    from config.celery import app

    entry = app.conf.beat_schedule["compact-page-touches"]
    assert entry["task"] == "accounts.tasks.compact_page_touches"
    manager, _, _ = desk
    PageTouch.objects.create(kind="u", owner=manager.pk)
    PageTouch.objects.create(kind="u", owner=manager.pk)
    assert compact_page_touches.delay().get() > 0
    assert _touches("u", manager.pk) == 1
