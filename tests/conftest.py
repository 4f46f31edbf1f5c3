import os

import pytest

from tests.factories import CompanyFactory, approved_request, approver, freelancer, hiring_manager

# Playwright's sync API runs an event loop in the test thread; the ORM must still be usable.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


@pytest.fixture(autouse=True)
def anymail_test_backend(settings):
    """Send through anymail's test backend (Django's test runner would swap in locmem).

    It goes through anymail's real sending path, statuses included, and still collects the
    messages in mail.outbox (the ``mailoutbox`` fixture).
    """
    settings.EMAIL_BACKEND = "anymail.backends.test.EmailBackend"


@pytest.fixture
def client():
    """Django's test client holding a CSRF cookie, as a browser does after its first page. The
    page cache (accounts.pagecache) keeps and serves a reader's pages only then, so with it every
    test that reads a page after a write also proves the write changed the page's key."""
    from django.conf import settings
    from django.middleware.csrf import _get_new_csrf_string
    from django.test import Client

    browser_like = Client()
    browser_like.cookies[settings.CSRF_COOKIE_NAME] = _get_new_csrf_string()
    return browser_like


@pytest.fixture
def password():
    from tests.factories.accounts import PASSWORD

    return PASSWORD


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium driven by Playwright; never a downloaded browser."""
    sync_api = pytest.importorskip("playwright.sync_api")
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (make setup does).")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def sign_in(page):
    """Sign in through the real form: sign_in(email, password)."""

    def _sign_in(email, password):
        page.goto("/accounts/login/")
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()
        return page

    return _sign_in


# A client company and its people, shared by the offers and jobs tests.

@pytest.fixture
def company():
    """An enterprise company with approvals enabled."""
    return CompanyFactory(name="Acme Test")


@pytest.fixture
def manager(company):
    return hiring_manager(company, full_name="Maria Manager", email="maria@acme.test")


@pytest.fixture
def boss(company):
    return approver(company, full_name="Alan Approver", email="alan@acme.test")


@pytest.fixture
def talent():
    return freelancer(user__full_name="Ada Lovelace", user__email="ada@example.test")


@pytest.fixture
def approval(company, manager, boss, talent):
    """The manager's approved request to offer Ada an hourly contract."""
    return approved_request(company=company, requester=manager, approver=boss, freelancer=talent)


@pytest.fixture
def open_company():
    """A company without approvals."""
    return CompanyFactory(name="Globex Test", is_enterprise=False, approvals_enabled=False)


@pytest.fixture
def open_manager(open_company):
    return hiring_manager(open_company, full_name="Gus Globex", email="gus@globex.test")
