import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from approvals.models import ApprovalRequest, State

pytestmark = pytest.mark.django_db


def test_seed_demo_adds_acme_requests_in_every_state_once(client):
    call_command("seed_demo", stdout=io.StringIO())
    first = ApprovalRequest.objects.count()
    call_command("seed_demo", stdout=io.StringIO())
    assert ApprovalRequest.objects.count() == first
    manager = User.objects.get(email="manager@acme.test")
    approver = User.objects.get(email="approver@acme.test")
    requests = ApprovalRequest.objects.filter(requester=manager, approver=approver)
    assert set(requests.values_list("state", flat=True)) == set(State.values)
    consumed = requests.get(state=State.CONSUMED)
    assert consumed.offers.get().revisions.get().number == 1
    for approval_request in requests:
        names = list(approval_request.transitions.values_list("name", flat=True))
        assert names[0] == "create"
    for user in (manager, approver):
        client.force_login(user)
        for tab in ("pending", "approved", "declined", "expired", "used", "cancelled"):
            response = client.get(reverse("approvals:dashboard"), {"tab": tab})
            assert response.context["page"].object_list, (user, tab)
