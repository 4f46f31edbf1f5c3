import pytest
from django.utils import timezone

from accounts.models import Notification
from tests.factories import freelancer
from tests.factories.notifications import NotificationFactory

pytestmark = pytest.mark.django_db


def test_it_marks_all_my_notifications_read(client):
    talent = freelancer()
    NotificationFactory.create_batch(3, recipient=talent)
    earlier = timezone.now() - timezone.timedelta(days=1)
    already = NotificationFactory(recipient=talent, read_at=earlier)
    theirs = NotificationFactory(recipient=freelancer())
    client.force_login(talent)
    response = client.post("/notifications/read-all/", follow=True)
    assert response.redirect_chain == [("/notifications/", 302)]
    body = response.content.decode()
    assert "Marked 3 notifications as read." in body
    assert '<a href="/notifications/" class="bell" aria-current="page">Notifications</a>' in body
    assert not Notification.objects.filter(recipient=talent, read_at__isnull=True).exists()
    already.refresh_from_db()
    assert already.read_at == earlier
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_it_rejects_get(client):
    talent = freelancer()
    NotificationFactory(recipient=talent)
    client.force_login(talent)
    assert client.get("/notifications/read-all/").status_code == 405
    assert Notification.objects.filter(recipient=talent, read_at__isnull=True).count() == 1
