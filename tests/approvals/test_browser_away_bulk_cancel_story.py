"""Issue 11's story in Chromium: an approver sets out of office with a delegate; a new request
reaches the delegate, who approves it from the email, and the request page says "on behalf
of"; the delegate then selects two pending requests and approves both at once; then a manager
cancels a pending request."""

import datetime
import re

import pytest
from django.utils import timezone

from accounts import delivery
from approvals.models import ApprovalRequest
from tests.approvals.chain_helpers import ask, initech
from tests.factories import approver

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(context, email, password):
    page = context.new_page()
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    return page


def test_away_delegate_decides_in_bulk_and_a_manager_cancels(
    page, sign_in, browser, live_server, settings, mailoutbox, password
):
    settings.SITE_URL = live_server.url
    people = initech()
    approver(people.company, full_name="Bea Backup", email="backup@initech.test")
    page.on("dialog", lambda dialog: dialog.accept())

    # Leo, the team lead, sets out of office with Bea as delegate.
    sign_in("lead@initech.test", password)
    page.goto("/approvals/")
    page.get_by_role("link", name="Out of office").click()
    page.get_by_label("Delegate").select_option(label="Bea Backup")
    now = timezone.localtime()
    page.get_by_label("From").fill(now.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Until").fill((now + datetime.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Set out of office").click()
    page.wait_for_load_state()
    assert "Out of office set: Bea Backup decides" in page.content()

    # A new request reaches Bea, who approves it from the email.
    first = ask(people, title="Billing rewrite", amount="1000")
    for _ in range(50):
        delivery.relay()
        to_bea = [m for m in mailoutbox if m.to == ["backup@initech.test"]]
        if to_bea:
            break
        page.wait_for_timeout(100)
    [message] = to_bea
    email_page = browser.new_context(base_url=live_server.url).new_page()
    email_page.goto(re.search(r"Approve: (\S+)", message.body).group(1))
    email_page.get_by_role("button", name="Confirm: Approve").click()
    email_page.wait_for_load_state()
    email_page.context.close()
    page.goto(f"/approvals/{first.pk}/")
    assert "by Bea Backup on behalf of Leo Lead" in page.locator(".chain").inner_text()

    # Bea selects two pending requests and approves both at once.
    second = ask(people, title="Data import", amount="800")
    third = ask(people, title="Search tuning", amount="900")
    bea_context = browser.new_context(base_url=live_server.url)
    bea = _sign_in(bea_context, "backup@initech.test", password)
    bea.goto("/approvals/")
    bea.get_by_label(f"Select #{second.pk} Data import").check()
    bea.get_by_label(f"Select #{third.pk} Search tuning").check()
    bea.get_by_label("Comment (optional)").fill("Both fine while Leo is away.")
    bea.get_by_role("button", name="Approve selected").click()
    bea.get_by_role("button", name="Yes, approve 2 requests").click()
    bea.wait_for_load_state()
    assert bea.get_by_role("heading", name="Approved 2 requests").is_visible()
    bea_context.close()
    assert set(
        ApprovalRequest.objects.filter(pk__in=[second.pk, third.pk]).values_list("state", flat=True)
    ) == {"approved"}

    # The manager cancels a pending request.
    pending = ask(people, title="Docs refresh", amount="300")
    manager = _sign_in(browser.new_context(base_url=live_server.url), people.manager.email, password)
    manager.on("dialog", lambda dialog: dialog.accept())  # "Cancel this request?"
    manager.goto(f"/approvals/{pending.pk}/")
    manager.get_by_text("Cancel this request").click()
    manager.get_by_label("Reason (optional)").fill("Done in-house.")
    manager.get_by_role("button", name="Cancel request").click()
    manager.wait_for_load_state()
    assert "Request cancelled." in manager.content()
    pending.refresh_from_db()
    assert pending.state == "cancelled"
