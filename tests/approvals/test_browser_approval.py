"""End to end in Chromium: create a request, approve it from the email link, see it approved."""

import datetime
import re

import pytest
from django.utils import timezone

from tests.factories import approver, freelancer, hiring_manager

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_manager_requests_approver_approves_from_email_manager_sees_it_approved(
    page, sign_in, browser, live_server, settings, mailoutbox, password
):
    # Links in emails are built from SITE_URL: point them at the live server.
    settings.SITE_URL = live_server.url
    manager = hiring_manager(email="maria@acme.test", full_name="Maria Manager")
    company = manager.membership.company
    approver(company, email="alan@acme.test", full_name="Alan Approver")
    freelancer(user__full_name="Ada Lovelace")

    sign_in("maria@acme.test", password)
    page.goto("/approvals/")
    page.get_by_role("link", name="Create Request").click()
    page.locator("#id_title").fill("Senior Django developer")
    page.locator("#id_freelancer").fill("Ada Lovelace")  # a whole name, resolved on submit
    page.locator("#id_amount").fill("95.00")
    page.locator("#id_weekly_hour_limit").fill("30")
    page.locator("#id_start_date").fill((timezone.localdate() + datetime.timedelta(days=7)).isoformat())
    page.locator("#id_justification").fill("Billing backlog.")
    page.get_by_role("button", name="Send for approval").click()
    page.wait_for_load_state()
    assert "Approval requested from Alan Approver" in page.content()

    # The email is sent after commit by the (eager) Celery task in the server thread.
    for _ in range(50):
        if mailoutbox:
            break
        page.wait_for_timeout(100)
    [message] = mailoutbox
    assert message.to == ["alan@acme.test"]
    approve_url = re.search(r"Approve: (\S+)", message.body).group(1)
    assert approve_url.startswith(live_server.url)

    # The approver opens the link in their own browser, without signing in.
    approver_context = browser.new_context(base_url=live_server.url)
    approver_page = approver_context.new_page()
    approver_page.goto(approve_url)
    assert "Nothing has changed yet" in approver_page.content()
    approver_page.get_by_role("button", name="Confirm: Approve").click()
    approver_page.wait_for_load_state()
    assert "Done: you approved “Senior Django developer”." in approver_page.content()
    approver_context.close()

    page.goto("/approvals/")
    page.get_by_role("link", name=re.compile(r"^Approved")).click()
    page.wait_for_load_state()
    row = page.locator("table tbody tr").filter(has_text="Senior Django developer")
    assert row.count() == 1
    assert "Approved" in row.inner_text()
