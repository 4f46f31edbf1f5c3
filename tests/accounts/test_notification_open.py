import pytest
from django.utils import timezone

from accounts.models import Notification
from tests.factories import freelancer
from tests.factories.notifications import NotificationFactory

pytestmark = pytest.mark.django_db


def test_opening_an_entry_marks_it_read_and_goes_to_its_page(client):
    talent = freelancer()
    entry = NotificationFactory(recipient=talent, link="/proposals/invitations/7/")
    client.force_login(talent)
    response = client.get(f"/notifications/{entry.pk}/")
    assert response.status_code == 302
    assert response.url == "/proposals/invitations/7/"
    entry.refresh_from_db()
    assert entry.read_at is not None


def test_opening_again_keeps_the_first_reading_time(client):
    talent = freelancer()
    first_read = timezone.now() - timezone.timedelta(days=2)
    entry = NotificationFactory(recipient=talent, read_at=first_read)
    client.force_login(talent)
    assert client.get(f"/notifications/{entry.pk}/").url == "/approvals/"
    entry.refresh_from_db()
    assert entry.read_at == first_read


def test_another_persons_notification_is_not_found_and_stays_unread(client):
    theirs = NotificationFactory(recipient=freelancer())
    client.force_login(freelancer())
    assert client.get(f"/notifications/{theirs.pk}/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


@pytest.mark.parametrize("link", ["", "https://evil.test/", "//evil.test/x", "offers", "/\\evil.test"])
def test_a_link_off_the_site_leads_back_to_the_inbox(client, link):
    talent = freelancer()
    entry = NotificationFactory(recipient=talent, link=link)
    client.force_login(talent)
    response = client.get(f"/notifications/{entry.pk}/")
    assert response.status_code == 302
    assert response.url == "/notifications/"
    assert Notification.objects.get(pk=entry.pk).read_at is not None
