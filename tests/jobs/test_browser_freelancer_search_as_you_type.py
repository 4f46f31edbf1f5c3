"""With JavaScript the freelancer field searches as you type: a combobox whose listbox is
chosen from with the keyboard, on the request form and the invite form; axe finds nothing
serious on either, list open or not."""

import datetime

import pytest
from django.utils import timezone

from approvals.models import ApprovalRequest
from jobs.models import Invite
from tests.a11y import axe_violations
from tests.factories import approver, client_job, freelancer, hiring_manager

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _choose_with_the_keyboard(page, label, letters, name):
    combobox = page.get_by_role("combobox", name=label)
    combobox.press_sequentially(letters)
    page.get_by_role("option", name=name).wait_for()
    assert combobox.get_attribute("aria-expanded") == "true"
    assert "freelancers found" in page.locator("[data-freelancer-picker] [role=status]").inner_text()
    assert axe_violations(page) == []
    combobox.press("ArrowDown")
    combobox.press("ArrowDown")
    assert combobox.get_attribute("aria-activedescendant").endswith("-1")
    combobox.press("ArrowUp")
    combobox.press("Enter")  # chooses; does not send the form
    assert combobox.input_value() == name
    assert combobox.get_attribute("aria-expanded") == "false"


def test_a_manager_chooses_freelancers_with_the_keyboard_on_the_request_and_invite_forms(
    page, sign_in, password
):
    manager = hiring_manager(email="maria@acme.test", full_name="Maria Manager")
    approver(manager.membership.company, full_name="Alan Approver")
    job = client_job(company=manager.membership.company, title="Compilers")
    job.posted_by = manager
    job.save()
    grace = freelancer(user__full_name="Grace Hopper", title="Compiler engineer")
    freelancer(user__full_name="Grace Kelly", title="Actor")
    freelancer(user__full_name="Linus Torvalds", title="Kernel developer")

    sign_in("maria@acme.test", password)
    page.goto("/approvals/new/")
    assert axe_violations(page) == []
    page.get_by_label("Title").fill("Compiler work")
    _choose_with_the_keyboard(page, "Freelancer", "grac", "Grace Hopper")
    page.get_by_label("Amount").fill("90.00")
    page.get_by_label("Weekly hour limit").fill("20")
    page.get_by_label("Start date").fill((timezone.localdate() + datetime.timedelta(days=7)).isoformat())
    page.get_by_role("button", name="Send for approval").click()
    page.wait_for_load_state()
    assert "Approval requested from Alan Approver" in page.content()
    assert ApprovalRequest.objects.get().freelancer == grace

    page.goto(f"/jobs/{job.pk}/invite/")
    assert axe_violations(page) == []
    page.get_by_label("Message").fill("You would fit this.")
    combobox = page.get_by_role("combobox", name="Freelancer")
    combobox.press_sequentially("grac")
    page.get_by_role("option", name="Grace Hopper").wait_for()
    combobox.press("Escape")
    assert combobox.get_attribute("aria-expanded") == "false"
    combobox.press("End")
    combobox.press("Backspace")
    _choose_with_the_keyboard(page, "Freelancer", "c", "Grace Hopper")
    page.get_by_role("button", name="Send invite").click()
    page.wait_for_load_state()
    assert "Grace Hopper is invited to “Compilers”." in page.content()
    assert Invite.objects.get(job=job).message == "You would fit this."
