"""On PostgreSQL the pages' statements are prepared on a kept connection (parameters bound on the
server, psycopg's prepare_threshold), and bulk writes still fit the protocol's 65,535 parameters."""

import pytest
from django.db import connection
from django.db.models.functions import Now
from django.test.utils import override_settings
from django.urls import reverse

from accounts.models import Notification
from tests.factories import approver, pending_request

pytestmark = pytest.mark.django_db


def _prepared_statements() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


@override_settings(PAGE_CACHE_SECONDS=0)  # rendered each time, not served as kept
def test_a_page_asked_again_runs_prepared_statements(client):
    request = pending_request()
    lead = request.step_approvers.get().approver
    client.force_login(lead)

    for _ in range(7):
        assert client.get(reverse("approvals:detail", args=[request.pk])).status_code == 200

    prepared = _prepared_statements()
    # The signed-in user's row and the request the page shows, each parsed and planned once.
    assert any('FROM "accounts_user"' in statement for statement in prepared), prepared
    assert any('FROM "approvals_approvalrequest"' in statement for statement in prepared), prepared


def test_a_bulk_write_past_the_protocols_parameter_limit_is_sent_in_batches():
    recipient = approver()
    # A value computed in SQL (created_at) makes Django insert VALUES rows, one parameter per
    # field of each row, rather than one array per field (UNNEST).
    fields = len([f for f in Notification._meta.concrete_fields if not f.primary_key]) - 1
    rows = 65_535 // fields + 500  # in one statement: more than 65,535 parameters

    created = Notification.objects.bulk_create([
        Notification(key=f"bulk:{i}", kind=Notification.Kind.APPROVAL_EXPIRED, recipient=recipient,
                     title=f"Row {i}", link="/", created_at=Now())
        for i in range(rows)
    ])

    assert len(created) == rows
    assert Notification.objects.filter(recipient=recipient).count() == rows
