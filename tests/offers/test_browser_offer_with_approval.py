"""In a real browser: the manager picks an approved request, sends the offer, withdraws it,
and the request is usable again."""

import pytest

from approvals.models import ApprovalRequest
from offers.models import Offer
from tests.factories import CompanyFactory, approved_request, approver, freelancer, hiring_manager

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_manager_sends_with_an_approval_withdraws_and_the_approval_is_usable_again(page, sign_in, password):
    company = CompanyFactory(name="Acme Browser")
    manager = hiring_manager(company, full_name="Maria Manager", email="maria@acme.test")
    boss = approver(company, full_name="Alan Approver")
    ada = freelancer(user__full_name="Ada Lovelace")
    approval = approved_request(company=company, requester=manager, approver=boss, freelancer=ada,
                                title="Billing platform contract")
    page.on("dialog", lambda dialog: dialog.accept())  # the "Withdraw this offer?" confirmation

    sign_in(manager.email, password)
    page.goto("/offers/new/")
    picker = page.get_by_label("Approved request")
    option = picker.locator("option", has_text="Billing platform contract")
    assert "Ada Lovelace" in option.inner_text() and "approved by Alan Approver" in option.inner_text()
    picker.select_option(str(approval.pk))
    page.get_by_role("button", name="Use the request's terms").click()
    assert page.get_by_label("Title").input_value() == "Billing platform contract"
    page.get_by_label("Message").fill("Looking forward to working with you.")
    page.get_by_role("button", name="Send offer").click()

    page.wait_for_url("**/offers/*/")
    assert "Offer “Billing platform contract” sent to Ada Lovelace." in page.locator(".messages").inner_text()
    assert "Used" in page.locator(".details").first.inner_text()
    offer = Offer.objects.get()
    assert ApprovalRequest.objects.get(pk=approval.pk).state == "consumed"

    page.goto("/offers/new/")
    used = page.get_by_label("Approved request").locator("option", has_text="Billing platform contract")
    assert used.count() == 0

    page.goto(f"/offers/{offer.pk}/")
    page.get_by_role("button", name="Withdraw offer").click()
    page.wait_for_load_state()
    assert "Its approval is available again for another offer." in page.locator(".messages").inner_text()
    assert ApprovalRequest.objects.get(pk=approval.pk).state == "approved"

    page.goto("/offers/new/")
    again = page.get_by_label("Approved request").locator("option", has_text="Billing platform contract")
    assert again.count() == 1
