import datetime
import zoneinfo

import pytest
from django.template import engines
from django.test import override_settings
from django.urls import include, path, reverse, set_script_prefix
from django.utils import timezone

from accounts.paths import path_to
from tests.factories import approver, freelancer, pending_request
from tests.factories.notifications import NotificationFactory

# A URLconf that serves the whole site one level down (override_settings below).
urlpatterns = [path("elsewhere/", include("config.urls"))]


@pytest.mark.parametrize(("viewname", "ids"), [
    ("home", ()), ("notifications:list", ()), ("offers:offer_detail", (5,)),
    ("jobs:invite_detail", (123_456_789,)), ("jobs:freelancer_profile", (1,)), ("admin:index", ()),
])
def test_path_to_writes_what_reverse_writes(viewname, ids):
    assert path_to(viewname, *ids) == reverse(viewname, args=ids)


def test_paths_follow_the_script_prefix():
    assert path_to("offers:offer_detail", 7) == "/offers/7/"
    set_script_prefix("/greenlight/")
    try:
        assert path_to("offers:offer_detail", 7) == "/greenlight/offers/7/"
    finally:
        set_script_prefix("/")
    assert path_to("offers:offer_detail", 7) == "/offers/7/"


def test_paths_follow_an_overridden_urlconf():
    assert path_to("notifications:open", 3) == "/notifications/3/"
    with override_settings(ROOT_URLCONF=__name__):
        assert path_to("notifications:open", 3) == "/elsewhere/notifications/3/"
    assert path_to("notifications:open", 3) == "/notifications/3/"


def test_day_writes_what_the_date_filter_writes_in_the_readers_zone():
    engine = engines["django"]
    with_date = engine.from_string('{{ at|date:"M j, Y" }}')
    with_day = engine.from_string("{% load local_time %}{{ at|day }}")
    late_evening = datetime.datetime(2026, 12, 31, 23, 30, tzinfo=datetime.UTC)
    with timezone.override(zoneinfo.ZoneInfo("Pacific/Kiritimati")):  # UTC+14: already next year
        for at in (late_evening, late_evening.date(), None):
            assert with_day.render({"at": at}) == with_date.render({"at": at})
        assert with_day.render({"at": late_evening}) == "Jan 1, 2027"


@pytest.mark.django_db
def test_the_top_bar_marks_the_page_and_counts_for_whoever_asks(client):
    talent = freelancer()
    NotificationFactory.create_batch(3, recipient=talent)
    boss = approver()
    pending_request(company=boss.membership.company, approver=boss)
    for _ in range(2):  # the same process serves both in turn: nothing of one shows to the other
        client.force_login(talent)
        body = client.get("/proposals/offers/").content.decode()
        assert '<a href="/proposals/offers/" aria-current="page" class="active">Offers</a>' in body
        assert '<a href="/proposals/invitations/" >Invitations</a>' in body
        assert 'aria-label="Notifications, 3 unread"' in body
        assert "awaiting your decision" not in body
        client.force_login(boss)
        body = client.get("/notifications/").content.decode()
        assert '<a href="/notifications/" class="bell" aria-current="page">Notifications</a>' in body
        assert '<a href="/offers/" >Offers</a>' in body
        assert 'Approvals <span class="count">1<span class="visually-hidden"> awaiting your decision' in body
        assert '<a class="brand" href="/">Greenlight</a>' in body
        assert '<form method="post" action="/accounts/logout/" class="inline">' in body
