"""axe-core finds no serious or critical problem on any page a demo user reaches.

Each demo user signs in through the form and walks the navigation, every tab, the first
object of each kind listed, and the forms they can open (also sent empty, to show errors)."""

import io
import re

import pytest
from django.core.management import call_command

from tests.a11y import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

DEMO_PASSWORD = "greenlight-demo"
DEMO_USERS = [
    "manager@acme.test", "approver@acme.test", "manager@globex.test",
    "ada@freelancers.test", "grace@freelancers.test", "linus@freelancers.test",
    "margaret@freelancers.test",
]
# Same-site pages worth a look: lists, tabs, details and forms (never a POST-only address).
PAGE_LINK = re.compile(
    r"^/(?:approvals|offers|jobs|proposals|referrals|find-work|freelancers)(?:/[\w-]+)*/?(?:\?tab=[\w-]+)?$"
)
ACTION = re.compile(r"/(?:accept|decline|withdraw|decide|logout)/")
FORMS_SENT_EMPTY = {"/approvals/new/", "/offers/new/", "/jobs/new/"}
# Sent as it is, past the browser's own checks, so the server's error messages show.
SEND_BIGGEST_FORM = """() => {
  const forms = [...document.querySelectorAll("main form[method=post]")];
  forms.sort((a, b) => b.elements.length - a.elements.length);
  forms[0].submit();
}"""


@pytest.fixture
def demo(transactional_db):
    call_command("seed_demo", stdout=io.StringIO())


def _same_site_links(page) -> list[str]:
    hrefs = page.eval_on_selector_all(
        "a[href]", "links => links.filter(a => a.origin === location.origin).map(a => a.pathname + a.search)"
    )
    return [href for href in hrefs if PAGE_LINK.match(href) and not ACTION.search(href)]


def _walk(page) -> list[str]:
    """The pages reachable from home: the navigation, their tabs, one object of each kind."""
    page.goto("/")
    queue, seen, kinds = _same_site_links(page), set(), set()
    while queue:
        url = queue.pop(0)
        kind = re.sub(r"\d+", "N", url)
        if url in seen or kind in kinds:
            continue
        seen.add(url)
        kinds.add(kind)
        page.goto(url)
        queue.extend(_same_site_links(page))
        yield url


def test_sign_in_page_has_no_serious_accessibility_problem(page, live_server):
    page.goto("/accounts/login/")
    assert page.get_by_role("heading", name="Sign in to Greenlight").is_visible()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    assert "This field is required" in page.content()
    assert axe_violations(page) == []


def test_the_lockout_page_has_no_serious_accessibility_problem(page, live_server):
    for _ in range(5):
        page.goto("/accounts/login/")
        page.get_by_label("Email").fill("nobody@example.test")
        page.get_by_label("Password").fill("wrong-password")
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()
    assert "Too many failed sign-in attempts. Try again in 15 minutes." in page.content()
    assert axe_violations(page) == []


@pytest.mark.parametrize("email", DEMO_USERS)
def test_pages_of_the_demo_have_no_serious_accessibility_problem_for(page, sign_in, demo, email):
    sign_in(email, DEMO_PASSWORD)
    problems, visited = {}, []
    for url in _walk(page):
        visited.append(url)
        if violations := axe_violations(page):
            problems[url] = violations
        if url in FORMS_SENT_EMPTY:
            with page.expect_navigation():
                page.evaluate(SEND_BIGGEST_FORM)
            if violations := axe_violations(page):
                problems[f"{url} (sent empty)"] = violations
    assert len(visited) >= 3, visited
    assert problems == {}, problems
