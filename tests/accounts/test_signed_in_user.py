"""Every signed-in page loads the user, their membership and company, their freelancer profile
and their unread count in one query (accounts.backends.UserBackend), and the count stays current."""

import pytest
from django.db import connection
from django.db.models import Value
from django.test.utils import CaptureQueriesContext

from accounts.models import Notification
from accounts.services import notification_mark_read
from tests.factories import freelancer, hiring_manager
from tests.factories.notifications import NotificationFactory

pytestmark = pytest.mark.django_db


def _sql(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return [query["sql"] for query in queries.captured_queries]


def test_a_client_page_reads_the_user_membership_and_company_in_one_query(client):
    manager = hiring_manager()
    client.force_login(manager)
    statements = _sql(client, "/notifications/")
    separate = ('FROM "accounts_membership"', 'FROM "accounts_company"')
    assert not any(table in sql for table in separate for sql in statements)
    assert not any('FROM "accounts_freelancerprofile"' in sql for sql in statements)
    user_query = next(sql for sql in statements if 'FROM "accounts_user"' in sql)
    assert '"accounts_membership"' in user_query and '"accounts_company"' in user_query
    body = client.get("/notifications/").content.decode()
    assert manager.membership.company.name in body


def test_the_bell_count_comes_with_the_user_and_is_current_on_the_next_page(client):
    talent = freelancer()
    first = NotificationFactory(recipient=talent)
    NotificationFactory(recipient=talent)
    client.force_login(talent)
    statements = _sql(client, "/proposals/offers/")
    assert not any('COUNT(*) AS "__count" FROM "accounts_notification"' in sql for sql in statements)
    assert "Notifications, 2 unread" in client.get("/proposals/offers/").content.decode()

    notification_mark_read(user=talent, notification_id=first.pk)
    assert "Notifications, 1 unread" in client.get("/proposals/offers/").content.decode()
    NotificationFactory(recipient=talent)
    NotificationFactory(recipient=freelancer())  # someone else's: not counted
    assert "Notifications, 2 unread" in client.get("/proposals/offers/").content.decode()
    Notification.objects.filter(recipient=talent).update(read_at=first.created_at)
    body = client.get("/proposals/offers/").content.decode()
    assert "unread" not in body and ">Notifications</a>" in body


def test_opening_a_notification_shows_the_lower_count_at_once(client):
    talent = freelancer()
    entry = NotificationFactory(recipient=talent, link="/proposals/offers/")
    NotificationFactory(recipient=talent)
    client.force_login(talent)
    response = client.get(f"/notifications/{entry.pk}/", follow=True)
    assert "Notifications, 1 unread" in response.content.decode()


def test_an_inactive_user_is_signed_out(client):
    talent = freelancer()
    client.force_login(talent)
    talent.is_active = False
    talent.save(update_fields=["is_active"])
    response = client.get("/proposals/offers/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_a_changed_password_signs_other_sessions_out(client):
    talent = freelancer()
    client.force_login(talent)
    talent.set_password("another-long-passphrase-42")
    talent.save()
    response = client.get("/proposals/offers/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_signing_in_with_the_form_uses_the_backend_that_loads_everything(client, password):
    talent = freelancer()
    response = client.post("/accounts/login/", {"username": talent.email, "password": password})
    assert response.status_code == 302
    assert client.session["_auth_user_backend"] == "accounts.backends.UserBackend"
    assert client.get("/proposals/offers/").status_code == 200


def test_what_is_loaded_with_the_user_is_built_once_not_on_every_sign_in(client):
    # Building and resolving the annotations' subqueries cost half of loading the user: they are
    # built once per process (accounts.backends._signed_in_users), each lookup copies them.
    from accounts import backends

    built = []

    def flag():
        built.append(1)
        return {"test_flag": Value(True)}

    backends.register_user_annotations(flag)
    try:
        manager = hiring_manager()
        client.force_login(manager)
        for _ in range(3):
            assert client.get("/notifications/").status_code == 200
        assert backends.signed_in_users().get(pk=manager.pk).test_flag is True
        assert len(built) == 1
    finally:
        backends._user_annotations.remove(flag)
        backends._signed_in_users.cache_clear()
