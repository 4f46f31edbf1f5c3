"""The sign-in form carries the browser's time zone (filled by static/js/app.js): it becomes the
user's zone until they choose one in settings, and never replaces a choice."""

import pytest

from accounts.models import User
from tests.factories import hiring_manager

pytestmark = pytest.mark.django_db


def _sign_in(client, password, **extra):
    return client.post("/accounts/login/", {"username": "boss@acme.test", "password": password, **extra})


def test_the_form_has_an_empty_hidden_time_zone_field(client):
    page = client.get("/accounts/login/").content.decode()
    assert '<input type="hidden" name="time_zone" id="id_time_zone">' in page


def test_sign_in_stores_the_browser_zone_for_a_user_who_never_chose(client, password):
    user = hiring_manager(email="boss@acme.test")
    response = _sign_in(client, password, time_zone="Asia/Kolkata")
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.time_zone, user.time_zone_chosen) == ("Asia/Kolkata", False)


def test_sign_in_does_not_override_a_chosen_zone(client, password):
    user = hiring_manager(email="boss@acme.test", time_zone="Europe/Paris", time_zone_chosen=True)
    assert _sign_in(client, password, time_zone="Asia/Kolkata").status_code == 302
    user.refresh_from_db()
    assert (user.time_zone, user.time_zone_chosen) == ("Europe/Paris", True)


@pytest.mark.parametrize("sent", ["", "Not/AZone", "localtime"])
def test_sign_in_without_a_real_zone_signs_in_and_keeps_utc(client, password, sent):
    user = hiring_manager(email="boss@acme.test")
    assert _sign_in(client, password, time_zone=sent).status_code == 302
    assert "_auth_user_id" in client.session
    user.refresh_from_db()
    assert user.time_zone == "UTC"


def test_a_failed_sign_in_stores_nothing(client):
    user = hiring_manager(email="boss@acme.test")
    response = client.post("/accounts/login/", {"username": "boss@acme.test", "password": "nope",
                                                "time_zone": "Asia/Kolkata"})
    assert response.status_code == 200 and "do not match an account" in response.content.decode()
    user.refresh_from_db()
    assert user.time_zone == "UTC"
    assert not User.objects.filter(time_zone="Asia/Kolkata").exists()
