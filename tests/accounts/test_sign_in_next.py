"""Signing in follows ``next`` only to a path on this site."""

import pytest

from tests.factories import freelancer

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "next_url", ["offers", "0", "NaN", "//evil.test/x", "https://evil.test/", "javascript:alert(1)", " /x"]
)
def test_sign_in_with_a_next_that_is_not_a_path_on_this_site_goes_home(client, password, next_url):
    ada = freelancer(user__email="ada@free.test")
    response = client.post(
        "/accounts/login/", {"username": "ada@free.test", "password": password, "next": next_url}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/").wsgi_request.user == ada


def test_sign_in_follows_a_path_on_this_site(client, password):
    freelancer(user__email="ada@free.test")
    response = client.post(
        "/accounts/login/", {"username": "ada@free.test", "password": password, "next": "/referrals/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/referrals/"
