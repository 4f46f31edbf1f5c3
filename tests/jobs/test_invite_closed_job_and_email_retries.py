"""A closed job takes no invite, accept or referral; every invite email task may run twice and
still sends once (Celery retries, or a worker restarting mid-task)."""

import pytest
from django.urls import reverse

from accounts.models import ConnectsLedgerEntry, Notification
from accounts.tasks import deliver_notifications
from jobs import emails
from jobs.models import Invite, Job, Proposal
from jobs.services import JobError, invite_accept, invite_create, invite_decline
from referrals.models import Referral
from referrals.services import ReferralError, referral_create
from tests.factories import beta_freelancer, client_job, direct_invite, freelancer

pytestmark = pytest.mark.django_db


def close(job):
    Job.objects.filter(pk=job.pk).update(status=Job.Status.CLOSED)


def test_a_closed_job_takes_no_new_invite():
    job = client_job()
    close(job)
    with pytest.raises(JobError, match="This job is closed"):
        invite_create(job=job, invited_by=job.posted_by, freelancer=freelancer())
    assert not Invite.objects.exists()


def test_an_invite_to_a_closed_job_cannot_be_accepted_and_costs_nothing():
    ada = freelancer(connects_balance=20)
    invite = direct_invite(ada, job=client_job(connects_price=6))
    close(invite.job)
    with pytest.raises(JobError, match="This job is closed"):
        invite_accept(invite_id=invite.pk, freelancer=ada)
    ada.freelancer_profile.refresh_from_db()
    assert ada.freelancer_profile.connects_balance == 20
    assert not Proposal.objects.exists() and not ConnectsLedgerEntry.objects.exists()


def test_a_closed_job_takes_no_referral_and_the_invite_stays_pending():
    invite = direct_invite(beta_freelancer())
    close(invite.job)
    with pytest.raises(ReferralError, match="This job is closed"):
        referral_create(invite_id=invite.pk, referrer=invite.freelancer, referred=freelancer(), reason="Busy")
    invite.refresh_from_db()
    assert invite.state == Invite.State.PENDING and not Referral.objects.exists()


def _deliver_twice(notification):
    """Run the delivery task for a notification twice, as a redelivered Celery message would."""
    return [deliver_notifications([notification.pk]) for _ in range(2)]


def test_invite_emails_are_sent_once_when_delivery_runs_twice(mailoutbox):
    invite = direct_invite(freelancer(connects_balance=20))
    assert _deliver_twice(emails.send_invite_received(invite)) == [1, 0]
    invite_accept(invite_id=invite.pk, freelancer=invite.freelancer)
    accepted = Notification.objects.get(key=f"invite-accepted:{invite.pk}")
    assert _deliver_twice(accepted) == [1, 0]
    assert [m.to for m in mailoutbox] == [[invite.freelancer.email], [invite.invited_by.email]]


def test_the_referral_outcome_email_is_sent_once_when_delivery_runs_twice(mailoutbox):
    ada = beta_freelancer(user__email="ada@example.test")
    referral = referral_create(
        invite_id=direct_invite(ada).pk, referrer=ada, referred=freelancer(), reason="Busy"
    )
    assert not Notification.objects.filter(key__startswith=f"referral-outcome:{referral.pk}").exists()
    invite_decline(invite_id=referral.new_invite.pk, freelancer=referral.referred, reason="No time")
    outcome = Notification.objects.get(key=f"referral-outcome:{referral.pk}:declined")
    assert _deliver_twice(outcome) == [1, 0]
    assert [m.to for m in mailoutbox] == [["ada@example.test"]]


def test_the_invite_page_of_a_closed_job_says_so_and_offers_no_accept_or_refer(client):
    invite = direct_invite(beta_freelancer())
    close(invite.job)
    client.force_login(invite.freelancer)
    page = client.get(reverse("jobs:invite_detail", args=[invite.pk])).content.decode()
    assert "closed this job" in page
    assert "Accept invite" not in page and "Decline and refer" not in page
    assert 'name="reason"' in page  # declining still tells the client
