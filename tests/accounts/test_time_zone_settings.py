"""Settings > Time zone: the person picks the zone their times are shown in."""

import pytest
from django.urls import reverse

from accounts.models import User
from tests.factories import hiring_manager

pytestmark = pytest.mark.django_db
URL = reverse("accounts:time_zone")


def test_it_shows_the_current_zone_selected(client):
    user = hiring_manager(time_zone="Europe/Paris")
    client.force_login(user)
    page = client.get(URL).content.decode()
    assert '<option value="Europe/Paris" selected>Paris</option>' in page
    assert '<optgroup label="America">' in page and '<option value="UTC">UTC</option>' in page
    assert "Your time zone now is <strong>Europe/Paris</strong>" in page


def test_it_saves_a_valid_zone_and_marks_it_chosen(client):
    user = hiring_manager()
    client.force_login(user)
    response = client.post(URL, {"time_zone": "America/New_York"}, follow=True)
    assert response.redirect_chain == [(URL, 302)]
    assert "Your time zone is saved: times are now shown in America/New_York." in response.content.decode()
    user.refresh_from_db()
    assert (user.time_zone, user.time_zone_chosen) == ("America/New_York", True)


def test_it_refuses_a_bogus_zone_with_a_clear_message_and_changes_nothing(client):
    user = hiring_manager(time_zone="Europe/Paris")
    client.force_login(user)
    response = client.post(URL, {"time_zone": "Mars/Olympus_Mons"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "“Mars/Olympus_Mons” is not a time zone we know. Choose one from the list." in page
    user.refresh_from_db()
    assert (user.time_zone, user.time_zone_chosen) == ("Europe/Paris", False)


def test_it_needs_a_signed_in_user(client):
    response = client.post(URL, {"time_zone": "Asia/Tokyo"})
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    assert not User.objects.filter(time_zone="Asia/Tokyo").exists()


def test_the_top_bar_links_to_it(client):
    client.force_login(hiring_manager())
    page = client.get(reverse("notifications:list")).content.decode()
    assert f'<a href="{URL}">Time zone</a>' in page
