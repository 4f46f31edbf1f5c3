"""The freelancer field on Decline and refer and on the manager's invite page: bad input never
breaks the page, and it never shows the name of someone who is not an active freelancer."""

import pytest
from django.urls import reverse

from jobs.models import Invite
from referrals.models import Referral
from tests.factories import beta_freelancer, direct_invite, freelancer

pytestmark = pytest.mark.django_db


def refer_url(invite):
    return reverse("referrals:refer", args=[invite.pk])


def refer(client, invite, **data):
    return client.post(refer_url(invite), {"reason": "Too busy right now", "freelancer": "", **data})


def test_a_nul_character_in_the_typed_name_is_dropped_instead_of_an_error(client):
    invite = direct_invite(beta_freelancer())
    grace = freelancer(user__full_name="Grace Hopper")
    client.force_login(invite.freelancer)
    assert refer(client, invite, freelancer_search="gr\x00ace hopper").status_code == 302
    assert Referral.objects.get().referred == grace

    client.force_login(invite.job.posted_by)
    response = client.post(
        reverse("jobs:invite_create", args=[invite.job.pk]),
        {"freelancer_search": "x\x00@y", "freelancer": "", "message": "Hi"},
    )
    assert response.status_code == 400
    assert "No active freelancer on Greenlight has the email address" in response.content.decode()


@pytest.mark.parametrize("picked", ["9" * 25, "-1", "abc"])
def test_an_unknown_or_malformed_freelancer_id_reads_as_not_an_active_freelancer(client, picked):
    invite = direct_invite(beta_freelancer())
    client.force_login(invite.freelancer)
    response = refer(client, invite, freelancer=picked)
    assert response.status_code == 400
    assert "not an active freelancer" in response.content.decode()
    assert not Referral.objects.exists()


def test_picking_a_client_by_id_never_shows_their_name_and_is_refused(client):
    invite = direct_invite(beta_freelancer())
    manager = invite.job.posted_by
    client.force_login(invite.freelancer)

    response = client.get(refer_url(invite), {"freelancer": manager.pk})
    assert response.status_code == 200
    assert manager.full_name not in response.content.decode()

    response = refer(client, invite, freelancer=manager.pk)
    assert response.status_code == 400
    assert manager.full_name not in response.content.decode()
    assert "The person you picked is not an active freelancer" in response.content.decode()
    invite.refresh_from_db()
    assert invite.state == Invite.State.PENDING and not Referral.objects.exists()


def test_picking_an_inactive_freelancer_by_id_never_shows_their_name(client):
    invite = direct_invite(beta_freelancer())
    gone = freelancer(user__full_name="Gone Person", user__is_active=False)
    client.force_login(invite.job.posted_by)
    response = client.post(
        reverse("jobs:invite_create", args=[invite.job.pk]), {"freelancer": gone.pk, "message": "Hi"}
    )
    assert response.status_code == 400
    assert "Gone Person" not in response.content.decode()
    assert "not an active freelancer" in response.content.decode()
    assert not Invite.objects.filter(freelancer=gone).exists()


def test_typing_your_own_email_says_you_cannot_refer_yourself(client):
    invite = direct_invite(beta_freelancer(user__email="ada@example.test"))
    client.force_login(invite.freelancer)
    response = refer(client, invite, freelancer_search="ADA@example.test", note="kept note")
    assert response.status_code == 400
    page = response.content.decode()
    assert "You cannot refer yourself. Pick another freelancer." in page
    assert "kept note" in page
    assert not Referral.objects.exists()


def test_candidates_already_on_the_job_are_marked_and_cannot_be_chosen(client):
    from tests.factories import offer_for_job

    invite = direct_invite(beta_freelancer())
    job = invite.job
    invited = freelancer(user__full_name="Invited Compiler", title="Compiler engineer")
    offered = freelancer(user__full_name="Offered Compiler", title="Compiler engineer")
    free = freelancer(user__full_name="Free Compiler", title="Compiler engineer")
    direct_invite(invited, job=job)
    offer_for_job(job, offered)

    for user, url, data in (
        (invite.freelancer, refer_url(invite), {"reason": "Too busy right now"}),
        (job.posted_by, reverse("jobs:invite_create", args=[job.pk]), {"message": "Hi"}),
    ):
        client.force_login(user)
        page = client.post(url, {**data, "freelancer_search": "compiler", "freelancer": ""}).content.decode()
        assert f'name="freelancer_choice" value="{free.pk}"' in page
        assert f'value="{invited.pk}"' not in page
        assert "Invited Compiler · Compiler engineer — Already invited" in page
        assert f'value="{offered.pk}"' not in page and "Has an offer" in page
