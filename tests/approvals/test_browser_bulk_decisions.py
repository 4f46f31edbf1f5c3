"""End to end in Chromium: an approver ticks two pending requests on the Pending tab and
approves both at once, after one confirmation; the dashboard with its checkboxes passes axe,
on a desktop and on a phone."""

import pytest

from approvals.models import ApprovalRequest, State
from tests.a11y import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_approver_selects_two_pending_requests_and_approves_both_at_once(
    page, sign_in, password, team, make_request
):
    billing = make_request(title="Billing rewrite")
    data = make_request(title="Data import")
    make_request(title="Search revamp")  # not ticked: stays pending

    sign_in(team.approver.email, password)
    page.goto("/approvals/")
    assert axe_violations(page) == []
    page.get_by_label(f"Select #{billing.pk} Billing rewrite").check()
    page.get_by_label(f"Select #{data.pk} Data import").check()
    page.get_by_label("Comment (optional)").fill("Both within budget.")
    page.get_by_role("button", name="Approve selected").click()
    page.wait_for_load_state()

    assert page.get_by_role("heading", name="Approve 2 requests?").is_visible()
    assert page.get_by_text(f"#{billing.pk} Billing rewrite: Ada Lovelace").is_visible()
    assert page.get_by_text(f"#{data.pk} Data import: Ada Lovelace").is_visible()
    assert "Search revamp" not in page.content()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Yes, approve 2 requests").click()
    page.wait_for_load_state()

    assert page.get_by_role("heading", name="Approved 2 requests").is_visible()
    assert axe_violations(page) == []
    states = dict(ApprovalRequest.objects.values_list("title", "state"))
    assert states == {
        "Billing rewrite": State.APPROVED, "Data import": State.APPROVED, "Search revamp": State.PENDING,
    }
    assert ApprovalRequest.objects.get(pk=billing.pk).decision_comment == "Both within budget."


def test_select_all_on_this_page_ticks_every_box_with_javascript(page, sign_in, password, team, make_request):
    requests = [make_request(title=f"Hire {n}") for n in range(3)]

    sign_in(team.approver.email, password)
    page.goto("/approvals/")
    select_all = page.get_by_label("Select all on this page")
    select_all.check()
    boxes = [page.get_by_label(f"Select #{r.pk} {r.title}") for r in requests]
    assert all(box.is_checked() for box in boxes)
    boxes[0].uncheck()
    assert not select_all.is_checked()

    page.get_by_role("button", name="Approve selected").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Approve 2 requests?").is_visible()


def test_the_dashboard_with_checkboxes_on_a_phone_is_usable_and_passes_axe(
    browser, live_server, password, team, make_request
):
    request = make_request(title="Billing rewrite")
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True
    )
    phone = context.new_page()
    phone.goto("/accounts/login/")
    phone.get_by_label("Email").fill(team.approver.email)
    phone.get_by_label("Password").fill(password)
    phone.get_by_role("button", name="Sign in").click()
    phone.wait_for_load_state()
    phone.goto("/approvals/")

    box = phone.get_by_label(f"Select #{request.pk} Billing rewrite")
    size = box.bounding_box()
    assert size["width"] >= 24 and size["height"] >= 24
    box.tap()
    assert box.is_checked()
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert axe_violations(phone) == []
    context.close()


def test_nothing_ticked_says_so_and_keeps_the_comment(page, sign_in, password, team, make_request):
    request = make_request(title="Billing rewrite")

    sign_in(team.approver.email, password)
    page.goto("/approvals/")
    page.get_by_label("Comment (optional)").fill("Over budget.")
    page.get_by_role("button", name="Decline selected").click()
    page.wait_for_load_state()

    assert page.get_by_text("Select at least one request").is_visible()
    assert page.get_by_label("Comment (optional)").input_value() == "Over budget."
    assert axe_violations(page) == []
    page.get_by_label(f"#{request.pk} Billing rewrite").check()
    page.get_by_role("button", name="Decline selected").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Decline 1 request?").is_visible()
    assert ApprovalRequest.objects.get(pk=request.pk).state == State.PENDING
