"""Approvals pages show times in the reader's zone, with the zone named, and deadlines also as
"expires in 3 days" next to the absolute time."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from approvals.models import ApprovalRequest
from tests.factories import InviteFactory, JobFactory, OfferFactory, move_past_expiry

pytestmark = pytest.mark.django_db


def _expiring_in(approval_request, delta: datetime.timedelta) -> datetime.datetime:
    expires_at = (timezone.now() + delta).replace(microsecond=0)
    ApprovalRequest.objects.filter(pk=approval_request.pk).update(expires_at=expires_at)
    return expires_at


def _in_new_york(when: datetime.datetime) -> tuple[str, str]:
    local = when.astimezone(ZoneInfo("America/New_York"))
    assert local.tzname() in {"EST", "EDT"}
    return f"{local:%b} {local.day}, {local:%Y %H:%M} {local.tzname()}", local.isoformat()


def test_dashboard_shows_decide_by_in_new_york_time_and_how_long_is_left(client, team, make_request):
    team.manager.time_zone = "America/New_York"
    team.manager.save()
    expires_at = _expiring_in(make_request(title="Data engineer"), datetime.timedelta(days=3, hours=2))
    shown, iso = _in_new_york(expires_at)
    client.force_login(team.manager)
    page = client.get(reverse("approvals:dashboard")).content.decode()
    assert f'<time datetime="{iso}">{shown}</time> <span class="meta">(expires in 3\xa0days)</span>' in page
    assert "UTC" not in page


def test_request_page_shows_decide_by_and_requested_on_in_the_readers_zone(client, team, make_request):
    approval_request = make_request(title="Data engineer")
    team.approver.time_zone = "America/New_York"
    team.approver.save()
    expires_at = _expiring_in(approval_request, datetime.timedelta(hours=5, minutes=30))
    client.force_login(team.approver)
    page = client.get(reverse("approvals:detail", args=[approval_request.pk])).content.decode()
    shown, iso = _in_new_york(expires_at)
    assert f'<dt>Decide by</dt><dd><time datetime="{iso}">{shown}</time>' in page
    assert "(expires in 5\xa0hours)" in page
    created, _ = _in_new_york(approval_request.created_at)
    assert f"on {created}</dd>" in page


def test_a_pending_request_past_its_deadline_says_how_long_ago_it_expired(client, team, make_request):
    approval_request = move_past_expiry(make_request(title="Data engineer"), hours=2, minutes=5)
    client.force_login(team.approver)
    page = client.get(reverse("approvals:detail", args=[approval_request.pk])).content.decode()
    assert "(expired 2\xa0hours ago)" in page
    assert f"{approval_request.expires_at:%H:%M} UTC</time>" in page  # UTC readers see UTC, named


def test_offer_and_invite_pages_name_the_readers_zone(client, open_company, open_manager, talent):
    talent.time_zone = "Asia/Kolkata"
    talent.save()
    offer = OfferFactory(company=open_company, created_by=open_manager, freelancer=talent)
    invite = InviteFactory(job=JobFactory(company=open_company, posted_by=open_manager), freelancer=talent)
    client.force_login(talent)
    pages = [reverse("offers:offer_detail", args=[offer.pk]), reverse("jobs:invite_detail", args=[invite.pk])]
    for url in pages:
        html = client.get(url).content.decode()
        assert " IST" in html and " UTC" not in html, url
