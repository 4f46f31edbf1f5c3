import pytest
from django.urls import reverse

from jobs.models import Invite
from tests.factories import direct_invite, freelancer, hiring_manager

pytestmark = pytest.mark.django_db


def test_declining_records_the_reason_and_tells_the_hiring_manager(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    invite = direct_invite()
    client.force_login(invite.freelancer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("jobs:invite_decline", args=[invite.pk]),
            {
                "reason": "The budget is too low",
                "details": "I charge 120/h.",
            },
        )
    assert response.status_code == 302
    invite.refresh_from_db()
    assert invite.state == Invite.State.DECLINED
    assert invite.decline_reason == "The budget is too low. I charge 120/h."
    assert [m.to for m in mailoutbox] == [[invite.invited_by.email]]
    assert "declined" in mailoutbox[0].subject
    assert "The budget is too low. I charge 120/h." in mailoutbox[0].body


def test_decline_needs_a_reason_and_keeps_what_was_typed(client):
    invite = direct_invite()
    client.force_login(invite.freelancer)
    response = client.post(
        reverse("jobs:invite_decline", args=[invite.pk]),
        {
            "reason": "other",
            "details": "",
        },
    )
    assert response.status_code == 400
    assert "Tell the client why you are declining." in response.content.decode()
    response = client.post(
        reverse("jobs:invite_decline", args=[invite.pk]), {"reason": "", "details": "kept"}
    )
    assert response.status_code == 400 and "kept" in response.content.decode()
    invite.refresh_from_db()
    assert invite.state == Invite.State.PENDING


def test_decline_rejects_get(client):
    invite = direct_invite()
    client.force_login(invite.freelancer)
    assert client.get(reverse("jobs:invite_decline", args=[invite.pk])).status_code == 405
    invite.refresh_from_db()
    assert invite.state == Invite.State.PENDING


def test_another_freelancers_invite_cannot_be_seen_or_declined(client):
    invite = direct_invite()
    for outsider in (freelancer(), invite.job.posted_by, hiring_manager()):
        client.force_login(outsider)
        assert client.get(reverse("jobs:invite_detail", args=[invite.pk])).status_code == 404
        response = client.post(
            reverse("jobs:invite_decline", args=[invite.pk]), {"reason": "Too busy right now"}
        )
        assert response.status_code == 404
    invite.refresh_from_db()
    assert invite.state == Invite.State.PENDING and invite.decline_reason == ""


def test_accepting_emails_the_hiring_manager(client, mailoutbox, django_capture_on_commit_callbacks):
    invite = direct_invite()
    client.force_login(invite.freelancer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("jobs:invite_accept", args=[invite.pk]), {"confirm": "yes"})
    assert [m.to for m in mailoutbox] == [[invite.invited_by.email]]
    assert "accepted" in mailoutbox[0].subject
