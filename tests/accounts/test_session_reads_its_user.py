"""A request reads its session and its signed-in user in one statement (accounts.sessions), with
every check Django makes on the user still made, and sessions from before keep signing in."""

import datetime

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DjangoDatabaseSessionStore
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Session
from tests.factories import freelancer, hiring_manager

pytestmark = pytest.mark.django_db

PAGE = "/proposals/offers/"


def _statements(client, url=PAGE):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response, [query["sql"] for query in queries]


def test_a_signed_in_page_reads_the_session_and_its_user_in_one_statement(client):
    talent = freelancer()
    client.force_login(talent)

    response, statements = _statements(client)

    assert response.status_code == 200 and response.context["user"] == talent
    reading = [sql for sql in statements if '"accounts_session"' in sql or '"accounts_user"' in sql]
    assert len(reading) == 1, reading
    assert reading[0].startswith('SELECT "accounts_session"."session_key"')
    assert Session.objects.get(pk=client.session.session_key).user_id == talent.pk


def test_a_password_changed_elsewhere_signs_the_session_out(client):
    talent = freelancer()
    client.force_login(talent)
    talent.set_password("a new password, set on another device")
    talent.save()

    response = client.get(PAGE)

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Session.objects.filter(user=talent).exists()


def test_a_deactivated_users_session_signs_in_nobody(client):
    talent = freelancer()
    client.force_login(talent)
    type(talent).objects.filter(pk=talent.pk).update(is_active=False)

    response = client.get(PAGE)

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_session_whose_row_names_no_user_still_signs_its_user_in(client):
    """A session saved before its row named its user (or whose data could not be read when it
    moved) signs in as before, reading the user after the session."""
    talent = freelancer()
    client.force_login(talent)
    Session.objects.filter(pk=client.session.session_key).update(user=None)

    response, statements = _statements(client)

    assert response.status_code == 200 and response.context["user"] == talent
    assert any(sql.startswith('SELECT "accounts_user"."id"') for sql in statements)


def test_signing_out_forgets_the_session(client):
    manager = hiring_manager()
    client.force_login(manager)
    key = client.session.session_key

    client.post("/accounts/logout/")

    assert not Session.objects.filter(pk=key).exists()
    assert client.get("/jobs/").status_code == 302


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_the_move_keeps_every_unexpired_session_and_names_its_user():
    talent = freelancer()
    nobody = type(talent).objects.order_by("-pk").values_list("pk", flat=True)[0] + 1000

    def old_session(user_id, *, expires_in):
        store = DjangoDatabaseSessionStore()
        row = store.create_model_instance({
            SESSION_KEY: str(user_id), BACKEND_SESSION_KEY: "accounts.backends.UserBackend",
            HASH_SESSION_KEY: talent.get_session_auth_hash(),
        })
        row.session_key = store._get_new_session_key()
        row.expire_date = timezone.now() + expires_in
        row.save()
        return row.session_key

    executor = MigrationExecutor(connection)
    executor.migrate([("accounts", "0009_page_touches")])
    try:
        kept = old_session(talent.pk, expires_in=datetime.timedelta(days=1))
        expired = old_session(talent.pk, expires_in=-datetime.timedelta(minutes=1))
        orphan = old_session(nobody, expires_in=datetime.timedelta(days=1))  # a user since deleted
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())

    moved = {row.session_key: row.user_id for row in Session.objects.all()}
    assert moved == {kept: talent.pk, orphan: None}
    assert expired not in moved
