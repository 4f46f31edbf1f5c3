"""The whole story in Chromium, across the apps: a request approved from the approver's email,
an offer sent with it, the freelancer accepting, and both pages telling the same story."""

import datetime
import re

import pytest
from django.utils import timezone

from approvals.models import ApprovalRequest
from approvals.services import approval_request_create
from offers.models import Offer
from tests.factories import CompanyFactory, approver, freelancer, hiring_manager

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _wait_for_mail(page, mailoutbox, count):
    for _ in range(50):
        if len(mailoutbox) >= count:
            return
        page.wait_for_timeout(100)


def test_from_request_to_accepted_contract(
    page, sign_in, browser, live_server, settings, mailoutbox, password
):
    settings.SITE_URL = live_server.url
    company = CompanyFactory(name="Acme Story")
    manager = hiring_manager(company, full_name="Maria Manager", email="maria@story.test")
    boss = approver(company, full_name="Alan Approver", email="alan@story.test")
    ada = freelancer(user__full_name="Ada Lovelace", user__email="ada@story.test")
    request = approval_request_create(
        requester=manager, approver=boss, title="Payments engineer", freelancer=ada,
        amount="110.00", weekly_hour_limit=20,
        start_date=timezone.localdate() + datetime.timedelta(days=10),
        justification="Card processing backlog.",
    )

    # 1. The approver approves from the link in the email, without signing in.
    _wait_for_mail(page, mailoutbox, 1)
    approve_url = re.search(r"Approve: (\S+)", mailoutbox[0].body).group(1)
    approver_context = browser.new_context(base_url=live_server.url)
    approver_page = approver_context.new_page()
    approver_page.goto(approve_url)
    approver_page.get_by_role("button", name="Confirm: Approve").click()
    approver_page.wait_for_load_state()
    approver_context.close()
    assert ApprovalRequest.objects.get(pk=request.pk).state == "approved"

    # 2. The manager sends the offer with that approval.
    sign_in(manager.email, password)
    page.goto("/offers/new/")
    page.get_by_label("Approved request").select_option(str(request.pk))
    page.get_by_role("button", name="Use the request's terms").click()
    page.get_by_role("button", name="Send offer").click()
    page.wait_for_url("**/offers/*/")
    offer = Offer.objects.get()
    assert offer.approval_request_id == request.pk

    # 3. The freelancer finds it under My Proposals > Offers and accepts it.
    freelancer_context = browser.new_context(base_url=live_server.url)
    freelancer_page = freelancer_context.new_page()
    freelancer_page.on("dialog", lambda dialog: dialog.accept())
    freelancer_page.goto("/accounts/login/")
    freelancer_page.get_by_label("Email").fill(ada.email)
    freelancer_page.get_by_label("Password").fill(password)
    freelancer_page.get_by_role("button", name="Sign in").click()
    freelancer_page.goto("/proposals/offers/")
    freelancer_page.get_by_role("link", name="Payments engineer").click()
    freelancer_page.get_by_role("button", name="Accept offer").click()
    freelancer_page.wait_for_load_state()
    assert "The contract is on." in freelancer_page.locator(".messages").inner_text()
    freelancer_context.close()

    # 4. The manager sees the offer accepted, and the request used by it for good.
    page.goto(f"/offers/{offer.pk}/")
    assert "Accepted" in page.locator("h1").inner_text()
    page.get_by_role("link", name="Payments engineer").last.click()
    page.wait_for_url(f"**/approvals/{request.pk}/")
    assert "Used" in page.locator(".details").first.inner_text()
    assert "Accepted" in page.content()
    assert ApprovalRequest.objects.get(pk=request.pk).state == "consumed"
    _wait_for_mail(page, mailoutbox, 4)
    assert any(manager.email in m.to and "accepted" in m.subject.lower() for m in mailoutbox)
