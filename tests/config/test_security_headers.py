"""Every page carries a strict Content-Security-Policy and a Permissions-Policy."""

import pytest

from tests.factories import UserFactory, freelancer, hiring_manager

ADMIN_PAGES = ["/admin/", "/admin/accounts/user/", "/admin/accounts/user/add/", "/admin/axes/accessattempt/"]
pytestmark = pytest.mark.django_db


def _directives(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in header.split(";") if part.strip())


def _assert_strict_csp(response):
    directives = _directives(response)
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["form-action"] == "'self'"
    assert directives["base-uri"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]


def test_the_sign_in_page_has_a_strict_content_security_policy(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert "Sign in to Greenlight" in response.content.decode()
    _assert_strict_csp(response)


def test_a_signed_in_page_has_a_strict_content_security_policy(client):
    client.force_login(hiring_manager())
    response = client.get("/offers/")
    assert response.status_code == 200
    _assert_strict_csp(response)


def test_error_pages_have_the_policy_too(client):
    client.force_login(freelancer())
    response = client.get("/approvals/")
    assert response.status_code == 404
    _assert_strict_csp(response)


def test_pages_switch_off_camera_microphone_and_location(client):
    response = client.get("/accounts/login/")
    policy = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in policy


def test_the_admin_renders_under_the_policy(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    for url in ADMIN_PAGES:
        response = client.get(url)
        assert response.status_code == 200, url
        _assert_strict_csp(response)
