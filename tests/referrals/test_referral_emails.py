import pytest

from accounts.models import Notification
from accounts.tasks import deliver_notifications
from jobs.services import invite_accept, invite_decline
from referrals.services import referral_create
from tests.factories import beta_freelancer, client_job, direct_invite, freelancer

pytestmark = pytest.mark.django_db


@pytest.fixture
def referral(django_capture_on_commit_callbacks):
    ada = beta_freelancer(user__full_name="Ada Lovelace", user__email="ada@example.test")
    grace = freelancer(user__full_name="Grace Hopper", user__email="grace@example.test")
    original = direct_invite(ada, job=client_job(title="Billing platform"))
    with django_capture_on_commit_callbacks(execute=True):
        return referral_create(
            invite_id=original.pk,
            referrer=ada,
            referred=grace,
            reason="Too busy right now",
            note="Grace knows billing inside out.",
        )


def test_decline_and_refer_emails_the_referred_freelancer_naming_the_referrer_and_the_manager(
    referral, mailoutbox
):
    by_recipient = {message.to[0]: message for message in mailoutbox}
    assert set(by_recipient) == {"grace@example.test", referral.original_invite.invited_by.email}
    invite_mail = by_recipient["grace@example.test"]
    assert invite_mail.subject == "Referred by Ada Lovelace: you are invited to “Billing platform”"
    assert "Referred by Ada Lovelace" in invite_mail.body
    assert "Grace knows billing inside out." in invite_mail.body
    assert "costs no Connects" in invite_mail.body
    assert f"/proposals/invitations/{referral.new_invite.pk}/" in invite_mail.body
    assert "Referred by Ada Lovelace" in invite_mail.alternatives[0][0]
    manager_mail = by_recipient[referral.original_invite.invited_by.email]
    assert "referred Grace Hopper" in manager_mail.subject


def test_the_referral_invite_email_is_sent_once_even_if_the_task_runs_again(referral, mailoutbox):
    count = len(mailoutbox)
    notification = Notification.objects.get(key=f"referral-invite:{referral.pk}")
    assert deliver_notifications([notification.pk]) == 0
    assert len(mailoutbox) == count
    assert notification.recipient == referral.referred
    assert notification.title == "Ada Lovelace referred you to “Billing platform”"


def test_the_referrer_is_emailed_when_the_referral_is_accepted(
    referral, mailoutbox, django_capture_on_commit_callbacks
):
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        invite_accept(invite_id=referral.new_invite.pk, freelancer=referral.referred)
    to_referrer = [m for m in mailoutbox if m.to == ["ada@example.test"]]
    assert len(to_referrer) == 1
    assert to_referrer[0].subject == "Grace Hopper accepted the invite you referred them to"
    outcome = Notification.objects.get(key=f"referral-outcome:{referral.pk}:accepted")
    assert deliver_notifications([outcome.pk]) == 0
    assert len([m for m in mailoutbox if m.to == ["ada@example.test"]]) == 1
    # The hiring manager hears of the accept too.
    assert any(m.to == [referral.original_invite.invited_by.email] for m in mailoutbox)


def test_the_referrer_is_emailed_when_the_referral_is_declined(
    referral, mailoutbox, django_capture_on_commit_callbacks
):
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        invite_decline(invite_id=referral.new_invite.pk, freelancer=referral.referred, reason="Busy")
    to_referrer = [m for m in mailoutbox if m.to == ["ada@example.test"]]
    assert [m.subject for m in to_referrer] == ["Grace Hopper declined the invite you referred them to"]


def test_no_email_is_sent_before_the_transaction_commits(mailoutbox, django_capture_on_commit_callbacks):
    ada = beta_freelancer()
    original = direct_invite(ada)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        referral_create(invite_id=original.pk, referrer=ada, referred=freelancer(), reason="Busy")
    assert mailoutbox == []
    assert len(callbacks) == 2
