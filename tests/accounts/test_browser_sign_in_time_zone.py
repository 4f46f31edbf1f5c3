import pytest

from tests.factories import hiring_manager

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_in_in_tokyo_sets_the_users_zone_to_tokyo(browser, live_server, password):
    user = hiring_manager(email="boss@acme.test")
    context = browser.new_context(base_url=live_server.url, timezone_id="Asia/Tokyo")
    try:
        page = context.new_page()
        page.goto("/accounts/login/")
        assert page.locator('input[name="time_zone"]').input_value() == "Asia/Tokyo"
        page.get_by_label("Email").fill("boss@acme.test")
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()
        assert page.get_by_role("heading", name="Approvals").is_visible()
        page.goto("/accounts/settings/time-zone/")
        assert page.get_by_label("Time zone").input_value() == "Asia/Tokyo"
    finally:
        context.close()
    user.refresh_from_db()
    assert (user.time_zone, user.time_zone_chosen) == ("Asia/Tokyo", False)
