import re

import pytest

from accounts.models import Notification
from tests.factories import freelancer
from tests.factories.notifications import NotificationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_freelancer_opens_a_notification_from_the_bell_and_the_count_goes_down(page, sign_in, password):
    talent = freelancer(user__email="ada@example.test")
    NotificationFactory(
        recipient=talent, kind=Notification.Kind.OFFER_SENT, title="Older news", link="/proposals/offers/"
    )
    entry = NotificationFactory(
        recipient=talent, kind=Notification.Kind.INVITE_RECEIVED, title="Acme invited you to “Data pipeline”",
        link="/proposals/invitations/",
    )
    sign_in("ada@example.test", password)

    page.get_by_role("link", name="Notifications, 2 unread").click()
    assert page.get_by_role("heading", name="Notifications").is_visible()
    page.get_by_role("link", name="Acme invited you to “Data pipeline”").click()

    page.wait_for_url(re.compile(r"/proposals/invitations/$"))
    assert page.get_by_role("link", name="Notifications, 1 unread").is_visible()
    entry.refresh_from_db()
    assert entry.read_at is not None
