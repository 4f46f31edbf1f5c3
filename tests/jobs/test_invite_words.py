"""Invites read from the freelancer's side, and an accepted invite shows what it cost."""

import pytest
from django.urls import reverse

from jobs.services import invite_accept, invite_decline
from tests.factories import client_job, direct_invite, freelancer

pytestmark = pytest.mark.django_db


def _badge(html):
    return html.split('<span class="badge ')[1].split("</span>")[0].split(">", 1)[1]


def test_pending_invite_awaits_the_freelancers_answer_and_states_its_price(client):
    ada = freelancer(connects_balance=20)
    invite = direct_invite(ada, job=client_job(connects_price=6))
    client.force_login(ada)
    page = client.get(reverse("jobs:invite_detail", args=[invite.pk])).content.decode()
    assert _badge(page) == "Awaiting your answer"
    assert "<dt>Connects to accept</dt><dd>6 (you have 20)</dd>" in page
    assert _badge(client.get(reverse("jobs:invitations")).content.decode()) == "Awaiting your answer"


def test_accepted_invite_shows_connects_spent_not_a_price_still_due(client):
    ada = freelancer(connects_balance=20)
    invite = direct_invite(ada, job=client_job(connects_price=6))
    invite_accept(invite_id=invite.pk, freelancer=ada)
    client.force_login(ada)
    page = client.get(reverse("jobs:invite_detail", args=[invite.pk])).content.decode()
    assert _badge(page) == "You accepted"
    assert "<dt>Connects spent</dt><dd>6</dd>" in page and "Connects to accept" not in page
    listing = client.get(reverse("jobs:invitations") + "?tab=accepted").content.decode()
    assert _badge(listing) == "You accepted"


def test_declined_invite_reads_you_declined(client):
    ada = freelancer()
    invite = direct_invite(ada)
    invite_decline(invite_id=invite.pk, freelancer=ada, reason="Too busy right now")
    client.force_login(ada)
    page = client.get(reverse("jobs:invite_detail", args=[invite.pk])).content.decode()
    assert _badge(page) == "You declined" and "Connects to accept" not in page
    listing = client.get(reverse("jobs:invitations") + "?tab=declined").content.decode()
    assert _badge(listing) == "You declined"
