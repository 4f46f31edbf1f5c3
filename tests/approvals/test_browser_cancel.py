"""In Chromium: a manager cancels a pending request from its page, confirming once; the approver
sees it cancelled with the reason."""

import re

import pytest

from accounts.models import Notification
from approvals.models import State
from tests.factories import approver, freelancer, hiring_manager, pending_request

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_manager_cancels_a_pending_request_from_its_page(page, sign_in, password):
    manager = hiring_manager(email="maria@acme.test", full_name="Maria Manager")
    company = manager.membership.company
    alan = approver(company, email="alan@acme.test", full_name="Alan Approver")
    approval_request = pending_request(
        company=company, requester=manager, approver=alan, title="Search tuning",
        freelancer=freelancer(user__full_name="Ada Lovelace"),
    )

    sign_in("maria@acme.test", password)
    page.goto(f"/approvals/{approval_request.pk}/")
    page.get_by_text("Cancel this request").click()
    page.get_by_label("Reason (optional)").fill("We fixed it in-house.")
    dialogs = []
    page.once("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.accept()))
    page.get_by_role("button", name="Cancel request").click()
    page.wait_for_load_state()

    assert dialogs == ["Cancel this request? Its approvers will be told, and it cannot be decided any more."]
    content = page.content()
    assert "Request cancelled. Its approvers have been told." in content
    assert "We fixed it in-house." in content
    assert page.get_by_role("link", name="Resubmit").is_visible()
    approval_request.refresh_from_db()
    assert approval_request.state == State.CANCELLED
    assert Notification.objects.get(kind=Notification.Kind.APPROVAL_CANCELLED).recipient == alan

    page.goto("/approvals/?tab=cancelled")
    row = page.locator("table tbody tr").filter(has_text="Search tuning")
    assert row.count() == 1 and re.search(r"Cancelled", row.inner_text())
