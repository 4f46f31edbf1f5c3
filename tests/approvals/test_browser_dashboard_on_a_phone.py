"""On a 390px-wide phone the approvals dashboard fits the screen: each request is a card."""

import pytest

from tests.a11y import axe_violations
from tests.factories import approver, hiring_manager, pending_request

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_dashboard_fits_a_phone_and_shows_each_state(browser, live_server, password):
    manager = hiring_manager(email="maria@acme.test")
    company = manager.membership.company
    alan = approver(company, email="alan@acme.test")
    for number in range(3):
        pending_request(
            company=company, requester=manager, approver=alan,
            title=f"A rather long request title for a senior backend developer #{number}",
        )
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill("maria@acme.test")
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.goto("/approvals/?tab=pending")

    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    first_row = page.locator("table tbody tr").first
    state = first_row.locator('td[data-label="State"]')
    assert state.is_visible()
    assert state.inner_text() == "Pending"
    box = state.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    label = state.evaluate("td => getComputedStyle(td, '::before').content")
    assert label == '"State"'
    assert page.locator("table thead").bounding_box()["height"] <= 1
    assert page.locator("table tbody tr").count() == 3
    assert axe_violations(page) == []
    context.close()
