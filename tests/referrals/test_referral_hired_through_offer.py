"""A referral ends as "Hired" through the real offer flow: an approval, an offer, acceptance."""

import pytest
from django.urls import reverse

from jobs.services import invite_accept
from offers.services import offer_accept, offer_send, offer_withdraw
from referrals.services import referral_create
from tests.factories import (
    approved_request,
    approver,
    beta_freelancer,
    client_job,
    direct_invite,
    freelancer,
    offer_terms,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def referral():
    job = client_job()
    ada = beta_freelancer(user__full_name="Ada Referrer")
    original = direct_invite(ada, job=job)
    grace = freelancer(user__full_name="Grace Referred")
    made = referral_create(invite_id=original.pk, referrer=ada, referred=grace, reason="Busy")
    invite_accept(invite_id=made.new_invite.pk, freelancer=grace)
    return made


def _send_offer(referral):
    job = referral.job
    approval = approved_request(
        company=job.company, requester=job.posted_by, approver=approver(job.company),
        freelancer=referral.referred, job=job,
    )
    return offer_send(sent_by=job.posted_by, **offer_terms(approval))


def _outcome_on_the_referrers_tab(client, referral):
    client.force_login(referral.referrer)
    response = client.get(reverse("referrals:list"))
    row = next(r for r in response.context["page"] if r.pk == referral.pk)
    return row.outcome


def test_referral_is_hired_once_the_referred_freelancer_accepts_the_offer(client, referral):
    offer = _send_offer(referral)
    assert _outcome_on_the_referrers_tab(client, referral) == "accepted"

    offer_accept(offer_id=offer.pk, freelancer=referral.referred)
    assert _outcome_on_the_referrers_tab(client, referral) == "hired"
    assert "badge-hired" in client.get(reverse("referrals:list")).content.decode()


def test_a_withdrawn_offer_is_not_a_hire(client, referral):
    offer = _send_offer(referral)
    offer_withdraw(offer_id=offer.pk, withdrawn_by=referral.job.posted_by)
    assert _outcome_on_the_referrers_tab(client, referral) == "accepted"
