"""The freelancer picker on Decline and refer and on the manager's invite page: bad input never
breaks the page, and it never shows the name of someone who is not an active freelancer."""

import pytest
from django.urls import reverse

from jobs.models import Invite
from referrals.models import Referral
from tests.factories import beta_freelancer, direct_invite, freelancer

pytestmark = pytest.mark.django_db


def refer_url(invite):
    return reverse("referrals:refer", args=[invite.pk])


def test_a_nul_character_in_the_search_finds_nothing_instead_of_an_error(client):
    invite = direct_invite(beta_freelancer())
    freelancer(user__full_name="Grace Hopper")
    client.force_login(invite.freelancer)
    response = client.get(refer_url(invite), {"q": "gr\x00ace"})
    assert response.status_code == 200
    assert "Grace Hopper" in response.content.decode()

    client.force_login(invite.job.posted_by)
    response = client.get(reverse("jobs:invite_create", args=[invite.job.pk]), {"q": "x\x00@y"})
    assert response.status_code == 200


@pytest.mark.parametrize("picked", ["9" * 25, "-1", "abc"])
def test_an_unknown_or_malformed_freelancer_id_reads_as_not_an_active_freelancer(client, picked):
    invite = direct_invite(beta_freelancer())
    client.force_login(invite.freelancer)
    response = client.get(refer_url(invite), {"freelancer": picked})
    assert response.status_code == 200
    assert "not an active freelancer" in response.content.decode()


def test_picking_a_client_by_id_never_shows_their_name_and_is_refused(client):
    invite = direct_invite(beta_freelancer())
    manager = invite.job.posted_by
    client.force_login(invite.freelancer)

    response = client.get(refer_url(invite), {"freelancer": manager.pk})
    assert manager.full_name not in response.content.decode()
    assert "not an active freelancer" in response.content.decode()

    response = client.post(refer_url(invite), {"freelancer": manager.pk, "reason": "Too busy right now"})
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


def test_pasting_your_own_email_says_you_cannot_refer_yourself(client):
    invite = direct_invite(beta_freelancer(user__email="ada@example.test"))
    client.force_login(invite.freelancer)
    response = client.get(refer_url(invite), {"q": "ada@example.test"})
    assert "You cannot refer yourself. Pick another freelancer." in response.content.decode()
    assert "No freelancer matches" not in response.content.decode()  # one message, not two
    assert "Decline and refer " + invite.freelancer.full_name not in response.content.decode()


def test_the_picker_runs_the_same_queries_for_1_or_many_matches(client, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    invite = direct_invite(beta_freelancer())
    client.force_login(invite.freelancer)
    freelancer(title="Rare unicorn", skills="Haskell, Elm")
    with CaptureQueriesContext(connection) as baseline:
        assert "Rare unicorn" in client.get(refer_url(invite), {"q": "unicorn"}).content.decode()
    for _ in range(15):
        freelancer(title="Common compiler engineer", skills="C, LLVM, Rust")
    with django_assert_max_num_queries(len(baseline)):
        page = client.get(refer_url(invite), {"q": "compiler"}).content.decode()
    assert page.count('aria-label="Select ') == 15


def test_search_results_mark_who_is_already_on_the_job_instead_of_offering_select(client):
    from tests.factories import offer_for_job

    invite = direct_invite(beta_freelancer())
    job = invite.job
    invited = freelancer(user__full_name="Invited Compiler", title="Compiler engineer")
    offered = freelancer(user__full_name="Offered Compiler", title="Compiler engineer")
    freelancer(user__full_name="Free Compiler", title="Compiler engineer")
    direct_invite(invited, job=job)
    offer_for_job(job, offered)

    for user, url in (
        (invite.freelancer, refer_url(invite)),
        (job.posted_by, reverse("jobs:invite_create", args=[job.pk])),
    ):
        client.force_login(user)
        page = client.get(url, {"q": "compiler"}).content.decode()
        assert 'aria-label="Select Free Compiler"' in page
        assert 'aria-label="Select Invited Compiler"' not in page and "Already invited" in page
        assert 'aria-label="Select Offered Compiler"' not in page and "Has an offer" in page
