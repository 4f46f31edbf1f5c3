import pytest
from django.urls import reverse

from tests.factories import UserFactory, sent_offer

pytestmark = pytest.mark.django_db


def test_admin_lists_offers_and_shows_revisions_read_only(client, manager, approval):
    offer = sent_offer(sent_by=manager, approval_request=approval)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    changelist = client.get(reverse("admin:offers_offer_changelist"))
    assert changelist.status_code == 200 and offer.title in changelist.content.decode()
    change = client.get(reverse("admin:offers_offer_change", args=[offer.pk]))
    html = change.content.decode()
    assert change.status_code == 200 and "Offer revisions" in html
    assert 'name="state"' not in html  # state moves only through the services
