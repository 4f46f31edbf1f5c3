
import pytest
from django.urls import reverse

from accounts.models import ConnectsLedgerEntry, FreelancerProfile
from jobs.models import Invite, Proposal
from jobs.services import JobError, invite_accept
from tests.concurrency import run_together
from tests.factories import InviteFactory, client_job, direct_invite, freelancer


def balance(user):
    return FreelancerProfile.objects.get(user=user).connects_balance


@pytest.mark.django_db
def test_accepting_a_direct_invite_creates_the_proposal_and_charges_the_jobs_connects(client):
    ada = freelancer(connects_balance=20)
    invite = direct_invite(ada, job=client_job(connects_price=6))
    client.force_login(ada)
    response = client.post(reverse("jobs:invite_accept", args=[invite.pk]), {"confirm": "yes"}, follow=True)
    assert "6 Connects were spent" in response.content.decode()
    invite.refresh_from_db()
    assert invite.state == Invite.State.ACCEPTED and invite.responded_at
    proposal = Proposal.objects.get(invite=invite)
    assert proposal.freelancer == ada and proposal.job == invite.job and proposal.connects_spent == 6
    assert balance(ada) == 14
    entry = ConnectsLedgerEntry.objects.get()
    assert (entry.change, entry.balance_after, entry.reference) == (-6, 14, f"invite:{invite.pk}")


@pytest.mark.django_db
def test_accepting_a_referral_invite_costs_no_connects():
    ada = freelancer(connects_balance=0)
    invite = InviteFactory(freelancer=ada, source=Invite.Source.REFERRAL, job=client_job(connects_price=6))
    proposal = invite_accept(invite_id=invite.pk, freelancer=ada)
    assert proposal.connects_spent == 0
    assert balance(ada) == 0
    assert not ConnectsLedgerEntry.objects.exists()


@pytest.mark.django_db
def test_a_short_balance_is_refused_with_a_clear_message_and_nothing_changes(client):
    ada = freelancer(connects_balance=5)
    invite = direct_invite(ada, job=client_job(connects_price=6))
    client.force_login(ada)
    response = client.post(reverse("jobs:invite_accept", args=[invite.pk]), {"confirm": "yes"}, follow=True)
    assert "Accepting this invite costs 6 Connects and you have 5." in response.content.decode()
    invite.refresh_from_db()
    assert invite.state == Invite.State.PENDING
    assert balance(ada) == 5
    assert not Proposal.objects.exists() and not ConnectsLedgerEntry.objects.exists()


@pytest.mark.django_db
def test_an_answered_invite_cannot_be_accepted_again():
    ada = freelancer(connects_balance=20)
    invite = direct_invite(ada)
    invite_accept(invite_id=invite.pk, freelancer=ada)
    with pytest.raises(JobError, match="already accepted"):
        invite_accept(invite_id=invite.pk, freelancer=ada)
    assert balance(ada) == 20 - invite.job.connects_price


@pytest.mark.django_db
def test_accept_needs_post_and_another_freelancers_invite_is_404(client):
    invite = direct_invite()
    client.force_login(invite.freelancer)
    assert client.get(reverse("jobs:invite_accept", args=[invite.pk])).status_code == 405
    client.force_login(freelancer())
    assert client.post(reverse("jobs:invite_accept", args=[invite.pk])).status_code == 404
    assert client.get(reverse("jobs:invite_detail", args=[invite.pk])).status_code == 404
    assert (
        client.post(
            reverse("jobs:invite_decline", args=[invite.pk]), {"reason": "Too busy right now"}
        ).status_code
        == 404
    )
    invite.refresh_from_db()
    assert invite.state == Invite.State.PENDING


@pytest.mark.django_db(transaction=True)
def test_two_accepts_racing_never_take_the_balance_below_zero():
    """Two direct invites, Connects for one: exactly one accept wins, the balance ends at 0."""
    ada = freelancer(connects_balance=6)
    invites = [direct_invite(ada, job=client_job(connects_price=6)) for _ in range(2)]
    outcomes = [
        "accepted" if kind == "ok" else str(value)
        for kind, value in run_together(
            *[lambda invite=invite: invite_accept(invite_id=invite.pk, freelancer=ada) for invite in invites]
        )
    ]

    assert sorted(outcomes) == [
        "Accepting this invite costs 6 Connects and you have 0. Get more Connects, then accept again.",
        "accepted",
    ]
    assert balance(ada) == 0
    assert Proposal.objects.count() == 1
    assert ConnectsLedgerEntry.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_same_invite_accepted_twice_at_once_charges_once():
    ada = freelancer(connects_balance=20)
    invite = direct_invite(ada, job=client_job(connects_price=6))
    results = run_together(*[lambda: invite_accept(invite_id=invite.pk, freelancer=ada)] * 2)
    outcomes = ["accepted" if kind == "ok" else "refused" for kind, _ in results]
    assert sorted(outcomes) == ["accepted", "refused"]
    assert balance(ada) == 14
