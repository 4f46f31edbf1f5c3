"""In Chromium: an approver sets out of office with a delegate; a new request reaches the
delegate, who approves it from the email; the request page says "on behalf of"."""

import datetime
import re

import pytest
from django.utils import timezone

from accounts import delivery
from tests.approvals.chain_helpers import ask, initech
from tests.factories import approver

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_delegate_approves_from_the_email_on_behalf_of_the_approver_away(
    page, sign_in, browser, live_server, settings, mailoutbox, password
):
    settings.SITE_URL = live_server.url
    people = initech()
    approver(people.company, full_name="Bea Backup", email="backup@initech.test")

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

    approval_request = ask(people, amount="1000")  # under Finance's threshold: one step
    for _ in range(50):
        delivery.relay()
        to_backup = [m for m in mailoutbox if m.to == ["backup@initech.test"]]
        if to_backup:
            break
        page.wait_for_timeout(100)
    [message] = to_backup
    assert "You decide on behalf of Leo Lead, who is out of office." in message.body
    delegate = browser.new_context(base_url=live_server.url).new_page()
    delegate.goto(re.search(r"Approve: (\S+)", message.body).group(1))
    assert "on behalf of Leo Lead" in delegate.content()
    delegate.get_by_role("button", name="Confirm: Approve").click()
    delegate.wait_for_load_state()
    assert "Done: you approved" in delegate.content()
    delegate.context.close()

    page.goto(f"/approvals/{approval_request.pk}/")
    assert "by Bea Backup on behalf of Leo Lead" in page.locator(".chain").inner_text()
    assert "on behalf of Leo Lead" in page.locator(".timeline").inner_text()
