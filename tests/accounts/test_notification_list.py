import re

import pytest
from django.utils import timezone

from accounts.models import Notification
from tests.factories import freelancer
from tests.factories.notifications import NotificationFactory, notifications_for_inbox

pytestmark = pytest.mark.django_db


def titles(body: str) -> list[str]:
    return re.findall(r'<a href="/notifications/\d+/">([^<]+)</a>', body)


def test_it_lists_only_my_notifications_newest_first(client):
    talent = freelancer()
    notifications_for_inbox(talent, 3)
    NotificationFactory(recipient=freelancer(), title="Someone else's offer")
    client.force_login(talent)
    response = client.get("/notifications/")
    assert response.status_code == 200
    body = response.content.decode()
    assert titles(body) == ["Entry 3", "Entry 2", "Entry 1"]
    assert "Someone else&#x27;s offer" not in body and "Someone else's offer" not in body


def test_it_shows_twenty_a_page(client):
    talent = freelancer()
    notifications_for_inbox(talent, 45)
    client.force_login(talent)
    first = client.get("/notifications/").content.decode()
    assert titles(first) == [f"Entry {i}" for i in range(45, 25, -1)]
    assert "Page 1</span>" in first and '<a href="?page=2">Older ›</a>' in first and "Newer" not in first
    last = client.get("/notifications/?page=3").content.decode()
    assert titles(last) == [f"Entry {i}" for i in range(5, 0, -1)]
    assert '<a href="?page=2">‹ Newer</a>' in last and "Older" not in last


def test_a_page_past_the_end_says_so_and_links_back_to_the_newest(client):
    talent = freelancer()
    notifications_for_inbox(talent, 3)
    client.force_login(talent)
    body = client.get("/notifications/?page=9").content.decode()
    assert titles(body) == []
    assert "No older notifications." in body and 'href="?page=1"' in body
    assert "No notifications yet." not in body


def test_unread_entries_say_unread_in_words_and_show_kind_and_time(client):
    talent = freelancer()
    NotificationFactory(recipient=talent, kind=Notification.Kind.OFFER_SENT, title="Offer from Acme")
    NotificationFactory(
        recipient=talent, kind=Notification.Kind.INVITE_RECEIVED, title="Invite from Globex",
        created_at=timezone.now() - timezone.timedelta(days=1), read_at=timezone.now(),
    )
    client.force_login(talent)
    body = client.get("/notifications/").content.decode()
    unread, read = body.split('<li class="card notification')[1:3]
    assert unread.startswith(' unread"') and ">Unread</span>" in unread and "Offer from Acme" in unread
    assert "You received an offer" in unread and "<time datetime=" in unread
    assert read.startswith('"') and "Unread" not in read and "Invite from Globex" in read
    assert "You were invited to a job" in read


def test_it_links_each_entry_through_its_open_view_and_to_email_settings(client):
    talent = freelancer()
    entry = NotificationFactory(recipient=talent, title="Offer from Acme")
    client.force_login(talent)
    body = client.get("/notifications/").content.decode()
    assert f'<a href="/notifications/{entry.pk}/">Offer from Acme</a>' in body
    assert '<a href="/notifications/settings/">Email settings</a>' in body
    assert "Mark all as read" in body


def test_empty_inbox_says_so_and_offers_no_mark_all(client):
    client.force_login(freelancer())
    body = client.get("/notifications/").content.decode()
    assert "No notifications yet." in body
    assert "Mark all as read" not in body


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get("/notifications/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_the_page_runs_the_same_queries_for_1_or_50_notifications(client, django_assert_max_num_queries):
    talent = freelancer()
    notifications_for_inbox(talent, 1)
    client.force_login(talent)
    with django_assert_max_num_queries(100) as one:
        client.get("/notifications/")
    notifications_for_inbox(talent, 49)
    with django_assert_max_num_queries(len(one.captured_queries)):
        body = client.get("/notifications/").content.decode()
    assert len(titles(body)) == 20
