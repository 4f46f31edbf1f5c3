"""End to end in Chromium, Initech's two-step chain: the manager asks for 6,000 USD fixed, the
team lead approves from the email, both finance approvers are emailed, one approves from the
email and the other in the app; the manager is emailed, sees the whole chain under Approved
and sends the offer with it."""

import datetime
import re

import pytest
from django.utils import timezone

from accounts import delivery
from approvals.models import ApprovalRequest
from offers.models import Offer
from tests.approvals.chain_helpers import initech

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _emails_to(mailoutbox, page, address, count=1):
    """The emails sent to ``address`` so far, waiting for the after-commit delivery."""
    for _ in range(50):
        delivery.relay()
        found = [m for m in mailoutbox if address in m.to]
        if len(found) >= count:
            return found
        page.wait_for_timeout(100)
    raise AssertionError(f"no email to {address}: {[m.to for m in mailoutbox]}")


def _link(message, action):
    return re.search(rf"{action}: (\S+)", message.body).group(1)


def test_initech_manager_gets_a_two_step_approval_and_sends_the_offer(
    page, sign_in, browser, live_server, settings, mailoutbox, password
):
    settings.SITE_URL = live_server.url
    people = initech()

    sign_in(people.manager.email, password)
    page.goto("/approvals/new/")
    assert page.locator("#id_approver").count() == 0  # the policy names every approver
    page.locator("#id_title").fill("Billing rewrite")
    freelancer = page.locator("#id_freelancer")
    if freelancer.evaluate("element => element.tagName") == "SELECT":
        freelancer.select_option(str(people.freelancer.pk))
    else:
        freelancer.fill("Ada Lovelace")
    page.locator("#id_contract_type").select_option("fixed")
    page.locator("#id_amount").fill("6000")
    page.locator("#id_start_date").fill((timezone.localdate() + datetime.timedelta(days=7)).isoformat())
    page.get_by_role("button", name="Send for approval").click()
    page.wait_for_load_state()
    assert "the step “Team lead” goes first, and we emailed Leo Lead" in page.content()
    approval_request = ApprovalRequest.objects.get()

    # The team lead approves from the email, without signing in.
    [to_lead] = _emails_to(mailoutbox, page, "lead@initech.test")
    assert "You decide the step “Team lead” (1 of 2" in to_lead.body
    lead = browser.new_context(base_url=live_server.url).new_page()
    lead.goto(_link(to_lead, "Approve"))
    lead.get_by_role("button", name="Confirm: Approve").click()
    lead.wait_for_load_state()
    assert "It now goes to the step “Finance”" in lead.content()
    lead.context.close()

    # Both finance approvers are emailed; the CFO approves from the email.
    [to_cfo] = _emails_to(mailoutbox, page, "cfo@initech.test")
    [to_controller] = _emails_to(mailoutbox, page, "controller@initech.test")
    assert "Already approved: Team lead" in to_cfo.body
    cfo = browser.new_context(base_url=live_server.url).new_page()
    cfo.goto(_link(to_cfo, "Approve"))
    cfo.get_by_role("button", name="Confirm: Approve").click()
    cfo.wait_for_load_state()
    assert "It needs more approvals from that step" in cfo.content()
    cfo.context.close()

    # The controller approves in the app, from the Pending tab.
    controller_context = browser.new_context(base_url=live_server.url)
    controller = controller_context.new_page()
    controller.goto("/accounts/login/")
    controller.get_by_label("Email").fill("controller@initech.test")
    controller.get_by_label("Password").fill(password)
    controller.get_by_role("button", name="Sign in").click()
    controller.wait_for_load_state()
    controller.goto("/approvals/")
    row = controller.locator("table tbody tr").filter(has_text="Billing rewrite")
    assert "Awaiting your decision" in row.inner_text()
    row.get_by_role("link", name="Billing rewrite").click()
    controller.get_by_role("button", name="Approve").click()
    controller.wait_for_load_state()
    assert "Request approved." in controller.content()
    controller_context.close()

    # The manager is emailed, sees the request under Approved and its whole chain.
    [decision] = _emails_to(mailoutbox, page, people.manager.email)
    assert "approved your request “Billing rewrite”" in decision.body
    assert "Leo Lead, Cora Cfo, Carl Controller" in decision.body
    page.goto("/approvals/?tab=approved")
    page.get_by_role("link", name="Billing rewrite").click()
    page.wait_for_load_state()
    chain = page.locator(".chain").inner_text()
    for text in ("Team lead", "Leo Lead", "Finance", "Cora Cfo", "Carl Controller"):
        assert text in chain, text
    assert chain.count("approved") >= 3

    # And sends the offer with it.
    page.get_by_role("link", name="Send the offer").click()
    page.wait_for_load_state()
    page.get_by_label("Message").fill("Welcome aboard.")
    page.get_by_role("button", name="Send offer").click()
    page.wait_for_url("**/offers/*/")
    offer = Offer.objects.get()
    assert offer.approval_request_id == approval_request.pk
    approval_request.refresh_from_db()
    assert approval_request.state == "consumed"
