"""Every page a demo user can reach from the navigation, and every object listed there, renders.

This walks the seeded demo the way a newcomer would after `make run`."""

import io
import re

import pytest
from django.core.management import call_command

from accounts.models import User

pytestmark = [pytest.mark.slow, pytest.mark.django_db]  # seeds the demo once per login

DEMO_USERS = [
    "manager@acme.test", "approver@acme.test", "approver2@acme.test", "manager@globex.test",
    "ada@freelancers.test", "grace@freelancers.test", "linus@freelancers.test",
    "margaret@freelancers.test",
]
DETAIL_LINK = re.compile(
    r'href="(/(?:approvals|offers|jobs|proposals/invitations|freelancers)/\d+/)"'
)
TAB_LINK = re.compile(r'href="((?:/[a-z/-]+/)?\?tab=[a-z-]+)"')


@pytest.fixture
def demo():
    call_command("seed_demo", stdout=io.StringIO())


@pytest.mark.parametrize("email", DEMO_USERS)
def test_every_page_of_the_demo_renders_for(client, demo, email):
    client.force_login(User.objects.get(email=email))
    home = client.get("/", follow=True)
    assert home.status_code == 200
    nav_pages = re.findall(r'<a href="(/[a-z/-]+/)"', home.content.decode())
    assert nav_pages, "the navigation links somewhere"
    seen, details = set(), set()
    for url in nav_pages:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        seen.add(url)
        for tab in TAB_LINK.findall(html):
            tab_url = tab if tab.startswith("/") else url + tab
            tab_page = client.get(tab_url)
            assert tab_page.status_code == 200, tab_url
            details.update(DETAIL_LINK.findall(tab_page.content.decode()))
        details.update(DETAIL_LINK.findall(html))
    assert details, "the demo lists objects to open"
    for url in sorted(details - seen):
        assert client.get(url).status_code == 200, url
