"""Accepting an invite spends Connects: it is confirmed once, saying how many."""

import pytest
from django.urls import reverse

from accounts.models import ConnectsLedgerEntry, FreelancerProfile
from jobs.models import Invite
from tests.factories import client_job, direct_invite, freelancer


def _balance(user):
    return FreelancerProfile.objects.get(user=user).connects_balance


@pytest.mark.django_db
def test_accept_without_confirm_says_how_many_connects_and_changes_nothing(client):
    ada = freelancer(connects_balance=20)
    invite = direct_invite(ada, job=client_job(connects_price=6))
    client.force_login(ada)
    url = reverse("jobs:invite_accept", args=[invite.pk])
    response = client.post(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Accept and spend 6 Connects?" in page and "spends 6 of your 20 Connects" in page
    assert '<input type="hidden" name="confirm" value="yes">' in page and f'action="{url}"' in page
    assert f'href="{reverse("jobs:invite_detail", args=[invite.pk])}">Cancel</a>' in page
    invite.refresh_from_db()
    assert invite.state == Invite.State.PENDING and _balance(ada) == 20


@pytest.mark.django_db
def test_accept_with_confirm_accepts(client):
    ada = freelancer(connects_balance=20)
    invite = direct_invite(ada, job=client_job(connects_price=6))
    client.force_login(ada)
    client.post(reverse("jobs:invite_accept", args=[invite.pk]), {"confirm": "yes"})
    invite.refresh_from_db()
    assert invite.state == Invite.State.ACCEPTED and _balance(ada) == 14


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_with_javascript_one_dialog_accepts_at_once(page, sign_in, password):
    ada = freelancer(connects_balance=20, user__email="ada@free.test")
    invite = direct_invite(ada, job=client_job(connects_price=6, title="Compiler work"))
    sign_in("ada@free.test", password)
    page.goto(reverse("jobs:invite_detail", args=[invite.pk]))
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.accept()))
    page.get_by_role("button", name="Accept invite").click()
    page.wait_for_load_state()
    assert "Invite accepted" in page.content() and "Yes, accept" not in page.content()
    assert dialogs == ["Accept and spend 6 Connects?"]
    invite.refresh_from_db()
    assert invite.state == Invite.State.ACCEPTED and _balance(ada) == 14
    assert ConnectsLedgerEntry.objects.filter(change=-6).count() == 1
