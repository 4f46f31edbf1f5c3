"""In Chromium: the first Tab reaches "Skip to main content", and menu links are big enough to tap."""

import pytest

from tests.factories import freelancer, hiring_manager

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_first_tab_focuses_the_skip_link_which_moves_to_the_main_content(page, sign_in, password):
    hiring_manager(email="maria@acme.test")
    sign_in("maria@acme.test", password)
    page.goto("/offers/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    assert page.evaluate("document.activeElement.textContent") == "Skip to main content"
    assert skip.is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    assert page.evaluate("document.activeElement.tagName") == "MAIN"


def test_the_skip_link_is_out_of_sight_until_focused(page, live_server):
    page.goto("/accounts/login/")
    box = page.get_by_role("link", name="Skip to main content").bounding_box()
    assert box["y"] + box["height"] <= 0
    assert page.get_by_role("heading", name="Sign in to Greenlight").is_visible()


@pytest.mark.parametrize("who", ["client", "freelancer"])
def test_menu_links_and_sign_out_are_at_least_24px_targets(page, sign_in, password, who):
    if who == "client":
        hiring_manager(email="someone@acme.test")
        names = ["Jobs", "Offers", "Approvals"]
    else:
        freelancer(user__email="someone@acme.test")
        names = ["Find Work", "Invitations", "Offers", "Referrals"]
    sign_in("someone@acme.test", password)
    navigation = page.get_by_role("navigation", name="Main")
    for name in names:
        box = navigation.get_by_role("link", name=name, exact=True).bounding_box()
        assert box["height"] >= 24 and box["width"] >= 24, (name, box)
    sign_out = page.get_by_role("button", name="Sign out").bounding_box()
    assert sign_out["height"] >= 24, sign_out
