import re

import pytest

from accounts.models import Notification, NotificationSetting
from accounts.notifications import notify
from tests.factories import MembershipFactory, UserFactory, approver, freelancer, hiring_manager

pytestmark = pytest.mark.django_db

Kind = Notification.Kind


def boxes(body: str) -> dict[str, bool]:
    """Each checkbox on the page: kind -> checked."""
    found = re.findall(r'<input type="checkbox" name="email" value="([\w-]+)"[^>]*?( checked)?>', body)
    return {kind: bool(checked) for kind, checked in found}


def test_approver_chooses_the_emails_of_requests_they_decide(client):
    client.force_login(approver())
    body = client.get("/notifications/settings/").content.decode()
    assert "Requests you decide: email me when…" in body
    assert boxes(body) == {"approval-new": True, "approval-reminder": True}
    assert '<label for="email-approval-new">A request awaits your decision</label>' in body
    assert "one-click" in body and "Approve and Decline links" in body
    assert "stays in your" in body


def test_hiring_manager_chooses_the_answers_to_their_requests_offers_and_invites(client):
    client.force_login(hiring_manager())
    body = client.get("/notifications/settings/").content.decode()
    assert list(boxes(body)) == [
        "approval-decision", "approval-expired", "offer-accepted", "offer-declined",
        "invite-accepted", "invite-declined",
    ]
    assert "one-click" not in body


def test_a_member_with_both_roles_sees_both_groups(client):
    user = UserFactory()
    MembershipFactory(user=user, is_approver=True, is_hiring_manager=True)
    client.force_login(user)
    body = client.get("/notifications/settings/").content.decode()
    assert "Requests you decide" in body and "Your requests, offers and invites" in body
    assert len(boxes(body)) == 8


def test_freelancer_chooses_offers_invites_and_referrals(client):
    client.force_login(freelancer())
    body = client.get("/notifications/settings/").content.decode()
    assert "Offers, invites and referrals to you: email me when…" in body
    assert list(boxes(body)) == [
        "offer-sent", "offer-modified", "offer-withdrawn", "invite-received", "referral-invite",
        "referral-outcome",
    ]


def test_saving_turns_unticked_kinds_off_and_ticked_ones_on(client):
    boss = approver()
    NotificationSetting.objects.create(user=boss, kind=Kind.APPROVAL_REMINDER, email_enabled=False)
    client.force_login(boss)
    response = client.post("/notifications/settings/", {"email": ["approval-reminder"]}, follow=True)
    assert response.redirect_chain == [("/notifications/settings/", 302)]
    body = response.content.decode()
    assert "Your email settings are saved." in body
    assert boxes(body) == {"approval-new": False, "approval-reminder": True}
    assert dict(NotificationSetting.objects.filter(user=boss).values_list("kind", "email_enabled")) == {
        "approval-new": False, "approval-reminder": True,
    }


def test_saving_with_nothing_ticked_turns_every_shown_kind_off_and_leaves_others(client):
    boss = approver()
    other = NotificationSetting.objects.create(user=boss, kind=Kind.OFFER_SENT, email_enabled=True)
    client.force_login(boss)
    client.post("/notifications/settings/", {})
    assert set(
        NotificationSetting.objects.filter(user=boss, email_enabled=False).values_list("kind", flat=True)
    ) == {"approval-new", "approval-reminder"}
    other.refresh_from_db()
    assert other.email_enabled is True


def test_a_kind_turned_off_under_another_role_is_still_shown(client):
    talent = freelancer()
    NotificationSetting.objects.create(user=talent, kind=Kind.APPROVAL_NEW, email_enabled=False)
    client.force_login(talent)
    body = client.get("/notifications/settings/").content.decode()
    assert "Other emails you turned off" in body
    assert boxes(body)["approval-new"] is False


def test_a_kind_the_page_did_not_offer_is_refused_and_nothing_is_saved(client):
    talent = freelancer()
    client.force_login(talent)
    response = client.post("/notifications/settings/", {"email": ["offer-sent", "approval-new"]})
    assert response.status_code == 200
    body = response.content.decode()
    assert "That kind of email is not one you can choose." in body
    assert boxes(body)["offer-sent"] is True and boxes(body)["offer-modified"] is False
    assert not NotificationSetting.objects.filter(user=talent).exists()


def test_a_muted_kind_is_not_emailed_but_still_reaches_the_inbox(client, django_capture_on_commit_callbacks):
    boss = approver()
    client.force_login(boss)
    client.post("/notifications/settings/", {"email": ["approval-reminder"]})

    with django_capture_on_commit_callbacks() as muted_callbacks:
        muted = notify(
            key="approval-new:1", kind=Kind.APPROVAL_NEW, recipient=boss, title="Decide “Data engineer”",
            link="/approvals/1/", template="approvals/emails/new-request", context={"id": 1},
        )
    with django_capture_on_commit_callbacks() as emailed_callbacks:
        emailed = notify(
            key="approval-reminder:1", kind=Kind.APPROVAL_REMINDER, recipient=boss,
            title="“Data engineer” expires soon", link="/approvals/1/",
            template="approvals/emails/reminder", context={"id": 1},
        )

    assert muted.email_state == Notification.EmailState.SKIPPED and muted_callbacks == []
    assert emailed.email_state == Notification.EmailState.PENDING and len(emailed_callbacks) == 1
    body = client.get("/notifications/").content.decode()
    assert "Decide “Data engineer”" in body and "“Data engineer” expires soon" in body
    assert 'aria-label="Notifications, 2 unread"' in body
