"""In Chromium, a request form sent with errors puts focus on its error summary."""

import pytest

from tests.factories import approver, hiring_manager

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RED = "rgb(201, 42, 42)"


def test_the_error_summary_takes_focus_and_links_to_each_field(page, sign_in, password):
    manager = hiring_manager(email="maria@acme.test")
    approver(manager.membership.company, email="alan@acme.test")
    sign_in("maria@acme.test", password)
    page.goto("/approvals/new/")
    page.get_by_role("button", name="Send for approval").click()
    page.wait_for_load_state()

    summary = page.get_by_role("alert").filter(has_text="There is a problem")
    assert summary.is_visible()
    assert page.evaluate("document.activeElement.className") == "error-summary"
    title_link = summary.get_by_role("link", name="Title: Give the offer a title or choose a job post.")
    assert title_link.is_visible()
    title_link.click()
    assert page.evaluate("document.activeElement.id") == "id_title"


def test_a_text_input_with_an_error_is_as_red_as_a_select(page, sign_in, password):
    manager = hiring_manager(email="maria@acme.test")
    approver(manager.membership.company, email="alan@acme.test")
    sign_in("maria@acme.test", password)
    page.goto("/approvals/new/")
    page.locator("#id_amount").fill("")
    page.locator("#id_approver").select_option(index=0)
    page.get_by_role("button", name="Send for approval").click()
    page.wait_for_load_state()
    assert page.locator("#id_amount").get_attribute("aria-invalid") == "true"
    assert page.locator("#id_amount").evaluate("e => getComputedStyle(e).borderTopColor") == RED
    assert page.locator("#id_approver").evaluate("e => getComputedStyle(e).borderTopColor") == RED
    assert page.locator("#id_justification").evaluate("e => getComputedStyle(e).borderTopColor") != RED
