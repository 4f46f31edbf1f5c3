import io

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_manager_signs_in_and_sees_my_jobs(page, sign_in):
    call_command("seed_demo", stdout=io.StringIO())
    sign_in("manager@acme.test", "greenlight-demo")
    nav = page.get_by_role("navigation", name="Main")
    assert nav.get_by_text("My Jobs").is_visible()
    assert nav.get_by_role("link", name="Approvals").is_visible()
    assert nav.get_by_role("link", name="Jobs").is_visible()
    assert "Maria Manager" in page.locator(".whoami").inner_text()
