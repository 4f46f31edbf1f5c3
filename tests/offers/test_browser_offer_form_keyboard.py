"""In a real browser: pressing Enter in a field sends the offer (or shows the differences); it
never refills the form from the request, over what the manager typed, nor confirms differences."""

import pytest

from offers.models import Offer
from tests.factories import CompanyFactory, approved_request, approver, freelancer, hiring_manager, sent_offer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_enter_in_the_offer_form_keeps_what_was_typed_and_never_confirms(page, sign_in, password):
    company = CompanyFactory(name="Acme Keys")
    manager = hiring_manager(company, full_name="Maria Manager", email="maria@keys.test")
    ada = freelancer(user__full_name="Ada Lovelace")
    approval = approved_request(
        company=company, requester=manager, approver=approver(company), freelancer=ada,
        title="Keyboard contract",
    )
    sign_in(manager.email, password)
    page.goto(f"/offers/new/?approval_request={approval.pk}")  # prefilled with the approved terms
    assert page.locator("form button[hidden]").is_hidden()  # the Enter target takes no room
    page.get_by_label("Amount").fill("95.50")
    page.get_by_label("Amount").press("Enter")
    page.wait_for_load_state()

    assert page.get_by_label("Amount").input_value() == "95.50"
    assert "Amount: approved 85.00 USD, offer 95.50 USD" in page.locator(".offer-differences").inner_text()
    page.get_by_label("Title").press("Enter")  # Enter again: still only the warning
    page.wait_for_load_state()
    assert page.locator(".offer-differences").count() == 1 and not Offer.objects.exists()

    page.get_by_role("button", name="Send anyway").click()
    page.wait_for_url("**/offers/*/")
    assert Offer.objects.get().amount == 95.5


def test_enter_in_the_modify_form_does_not_confirm_differences(page, sign_in, password):
    company = CompanyFactory(name="Acme Keys")
    manager = hiring_manager(company, full_name="Maria Manager", email="maria@keys.test")
    approval = approved_request(company=company, requester=manager, approver=approver(company))
    offer = sent_offer(sent_by=manager, approval_request=approval)
    sign_in(manager.email, password)
    page.goto(f"/offers/{offer.pk}/")
    page.locator("summary", has_text="Modify offer").click()
    page.get_by_label("Amount").fill("99")
    page.get_by_label("Amount").press("Enter")
    page.wait_for_load_state()
    assert page.locator(".offer-differences").count() == 1
    page.get_by_label("Amount").press("Enter")
    page.wait_for_load_state()
    offer.refresh_from_db()
    assert offer.revision == 1 and page.locator(".offer-differences").count() == 1
