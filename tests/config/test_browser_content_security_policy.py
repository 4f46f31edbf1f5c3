"""In Chromium, the strict policy refuses nothing the app or the admin needs."""

import pytest

from tests.factories import UserFactory

ADMIN_PAGES = ["/admin/", "/admin/accounts/user/", "/admin/accounts/user/add/", "/admin/axes/accessattempt/"]
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _refusals(page):
    refusals = []
    page.on("console", lambda message: "Content Security Policy" in message.text and refusals.append(
        message.text
    ))
    return refusals


def test_the_sign_in_page_loads_its_css_and_js_under_the_policy(page, live_server):
    refusals = _refusals(page)
    page.goto("/accounts/login/")
    assert page.get_by_role("heading", name="Sign in to Greenlight").is_visible()
    # app.css styles the primary button: it loaded.
    assert page.get_by_role("button", name="Sign in").evaluate("b => getComputedStyle(b).color") == (
        "rgb(255, 255, 255)"
    )
    assert refusals == []


def test_the_admin_works_under_the_policy(page, sign_in, password):
    UserFactory(email="staff@greenlight.test", is_staff=True, is_superuser=True)
    refusals = _refusals(page)
    sign_in("staff@greenlight.test", password)
    for url in ADMIN_PAGES:
        page.goto(url)
        assert page.locator("#site-name").inner_text() == "Greenlight administration", url
    assert page.locator("#content h1").is_visible()
    assert refusals == []
