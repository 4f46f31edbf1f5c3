"""The sign-in form's errors are tied to their fields and summed up at the top."""

import pytest

from tests.a11y import describedby_ids_missing, elements
from tests.factories import freelancer

pytestmark = pytest.mark.django_db


def test_a_missing_password_is_tied_to_the_password_field(client):
    response = client.post("/accounts/login/", {"username": "ada@free.test", "password": ""})
    html = response.content.decode()
    password = next(attrs for _, attrs in elements(html) if attrs.get("id") == "id_password")
    assert password["aria-invalid"] == "true"
    assert password["aria-describedby"] == "id_password_error"
    assert '<div class="errors" id="id_password_error"><p class="error">This field is required.</p>' in html
    assert '<a href="#id_password">Password: This field is required.</a>' in html
    assert describedby_ids_missing(html) == set()


def test_a_wrong_password_is_summed_up_at_the_top(client):
    freelancer(user__email="ada@free.test")
    response = client.post("/accounts/login/", {"username": "ada@free.test", "password": "wrong"})
    html = response.content.decode()
    assert response.status_code == 200
    start = html.index('class="error-summary"')
    assert "There is a problem" in html[start:]
    assert "That email and password do not match an account" in html[start:]
    assert describedby_ids_missing(html) == set()
