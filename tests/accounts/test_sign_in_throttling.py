"""Failed sign-ins lock that email out from that address for a while, with a clear page."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.utils import timezone

from tests.factories import UserFactory, freelancer

pytestmark = pytest.mark.django_db

LOCKED = "Too many failed sign-in attempts. Try again in 15 minutes."


def _sign_in(client, email, password, address="10.0.0.1"):
    return client.post("/accounts/login/", {"username": email, "password": password}, REMOTE_ADDR=address)


def _fail(client, email, times, address="10.0.0.1"):
    for _ in range(times):
        _sign_in(client, email, "wrong-password", address)


def test_fifty_wrong_passwords_then_the_right_one_is_still_refused(client, password):
    freelancer(user__email="ada@free.test")
    _fail(client, "ada@free.test", 50)
    response = _sign_in(client, "ada@free.test", password)
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert "<title>Too many attempts · Greenlight</title>" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AccessAttempt.objects.get(username="ada@free.test").failures_since_start >= 5


def test_four_wrong_passwords_still_let_the_right_one_in(client, password):
    ada = freelancer(user__email="ada@free.test")
    _fail(client, "ada@free.test", 4)
    response = _sign_in(client, "ada@free.test", password)
    assert response.status_code == 302
    assert client.get("/").wsgi_request.user == ada


def test_an_unknown_email_gets_the_identical_lockout_page(client):
    freelancer(user__email="ada@free.test")
    _fail(client, "ada@free.test", 5, address="10.0.0.1")
    _fail(client, "nobody@free.test", 5, address="10.0.0.2")
    known = _sign_in(client, "ada@free.test", "wrong-password", address="10.0.0.1")
    unknown = _sign_in(client, "nobody@free.test", "wrong-password", address="10.0.0.2")
    assert known.status_code == unknown.status_code == 429
    assert LOCKED in known.content.decode()
    assert known.content == unknown.content


def test_a_locked_email_still_signs_in_from_another_address(client, password):
    ada = freelancer(user__email="ada@free.test")
    _fail(client, "ada@free.test", 50, address="203.0.113.9")
    response = _sign_in(client, "ada@free.test", password, address="10.0.0.1")
    assert response.status_code == 302
    assert client.get("/").wsgi_request.user == ada


def test_an_address_failing_for_many_emails_is_locked_for_every_email(client, password):
    freelancer(user__email="ada@free.test")
    for number in range(20):
        _sign_in(client, f"guess{number}@free.test", "wrong-password")
    response = _sign_in(client, "ada@free.test", password)
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert _sign_in(client, "ada@free.test", password, address="10.0.0.2").status_code == 302


def test_the_right_password_works_after_the_cool_off(client, password):
    ada = freelancer(user__email="ada@free.test")
    _fail(client, "ada@free.test", 5)
    assert _sign_in(client, "ada@free.test", password).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=16))
    response = _sign_in(client, "ada@free.test", password)
    assert response.status_code == 302
    assert client.get("/").wsgi_request.user == ada


def test_staff_unlock_an_email_in_the_admin(client, password):
    ada = freelancer(user__email="ada@free.test")
    _fail(client, "ada@free.test", 5)
    attempt = AccessAttempt.objects.get(username="ada@free.test")

    staff_client = type(client)()
    staff_client.force_login(UserFactory(is_staff=True, is_superuser=True))
    listing = staff_client.get("/admin/axes/accessattempt/")
    assert listing.status_code == 200
    assert "ada@free.test" in listing.content.decode()
    response = staff_client.post(
        "/admin/axes/accessattempt/",
        {"action": "delete_selected", "_selected_action": [attempt.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username="ada@free.test").exists()

    assert _sign_in(client, "ada@free.test", password).status_code == 302
    assert client.get("/").wsgi_request.user == ada


def test_behind_a_trusted_proxy_each_client_is_locked_alone(client, password, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    ada = freelancer(user__email="ada@free.test")
    proxy = "10.0.0.254"
    for _ in range(50):
        client.post(
            "/accounts/login/", {"username": "ada@free.test", "password": "wrong"},
            REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="198.51.100.7",
        )
    attacker = client.post(
        "/accounts/login/", {"username": "ada@free.test", "password": password},
        REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="198.51.100.7",
    )
    assert attacker.status_code == 429
    # What the client wrote left of the proxy's entry is not believed.
    assert client.post(
        "/accounts/login/", {"username": "ada@free.test", "password": password},
        REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="203.0.113.1, 198.51.100.7",
    ).status_code == 429
    ada_at_home = client.post(
        "/accounts/login/", {"username": "ada@free.test", "password": password},
        REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="203.0.113.50",
    )
    assert ada_at_home.status_code == 302
    assert client.get("/").wsgi_request.user == ada
    assert AccessAttempt.objects.get().ip_address == "198.51.100.7"


def test_without_a_trusted_proxy_a_forwarded_for_header_is_ignored(client, password):
    freelancer(user__email="ada@free.test")
    for number in range(5):
        client.post(
            "/accounts/login/", {"username": "ada@free.test", "password": "wrong"},
            REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR=f"203.0.113.{number}",
        )
    assert _sign_in(client, "ada@free.test", password, address="198.51.100.7").status_code == 429
    assert AccessAttempt.objects.get().ip_address == "198.51.100.7"
