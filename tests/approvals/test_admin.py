"""The admin: list with filters, transition log inline, state read-only, expire action."""

import pytest
from django.urls import reverse

from approvals import services
from approvals.models import State
from tests.factories import UserFactory, move_past_expiry

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, db):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_changelist_lists_requests_with_state_people_and_expiry(admin_client, make_request):
    make_request(title="Senior Django developer")
    response = admin_client.get(reverse("admin:approvals_approvalrequest_changelist"))
    page = response.content.decode()
    assert response.status_code == 200
    for text in ("Senior Django developer", "Acme Test", "Maria Manager", "Alan Approver",
                 "Ada Lovelace", "By state", "By company"):
        assert text in page, text


def test_changelist_filters_by_state(admin_client, team, make_request):
    make_request(title="Still pending")
    declined = make_request(title="Was declined")
    services.approval_request_decline(approval_request_id=declined.pk, actor=team.approver)
    url = reverse("admin:approvals_approvalrequest_changelist")
    page = admin_client.get(url, {"state__exact": "declined"}).content.decode()
    assert "Was declined" in page and "Still pending" not in page


def test_changelist_query_count_is_fixed(admin_client, make_request, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_request()
    url = reverse("admin:approvals_approvalrequest_changelist")
    with CaptureQueriesContext(connection) as one:
        admin_client.get(url)
    for _ in range(30):
        make_request()
    with django_assert_max_num_queries(len(one.captured_queries)):
        admin_client.get(url)


def test_change_page_shows_the_transition_log_and_a_read_only_state(admin_client, team, make_request):
    approval_request = make_request()
    services.approval_request_decline(
        approval_request_id=approval_request.pk, actor=team.approver, comment="Over budget"
    )
    url = reverse("admin:approvals_approvalrequest_change", args=[approval_request.pk])
    response = admin_client.get(url)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Over budget" in page and "decline" in page and "create" in page
    assert 'name="state"' not in page
    assert 'name="_save"' not in page  # a view, not a form that could only fail
    admin_client.post(url, {"state": "approved", "title": "Changed"})
    approval_request.refresh_from_db()
    assert approval_request.state == State.DECLINED and approval_request.title != "Changed"


def test_requests_cannot_be_added_in_the_admin(admin_client):
    response = admin_client.get(reverse("admin:approvals_approvalrequest_add"))
    assert response.status_code == 403


def test_requests_cannot_be_deleted_in_the_admin(admin_client, make_request):
    """Deleting would erase the audit trail with it; the admin expires instead."""
    approval_request = make_request()
    url = reverse("admin:approvals_approvalrequest_delete", args=[approval_request.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 403
    page = admin_client.get(
        reverse("admin:approvals_approvalrequest_change", args=[approval_request.pk])
    ).content.decode()
    assert url not in page
    assert approval_request.transitions.exists()


def test_expire_action_expires_only_requests_past_their_window(admin_client, make_request):
    stale = move_past_expiry(make_request(title="Stale"))
    fresh = make_request(title="Fresh")
    response = admin_client.post(
        reverse("admin:approvals_approvalrequest_changelist"),
        {"action": "expire_past_expiry", "_selected_action": [stale.pk, fresh.pk]},
        follow=True,
    )
    page = response.content.decode()
    assert "Expired 1 request(s)." in page
    assert f"#{fresh.pk}" in page
    stale.refresh_from_db()
    fresh.refresh_from_db()
    assert (stale.state, fresh.state) == (State.EXPIRED, State.PENDING)
    assert stale.transitions.last().actor.is_staff
