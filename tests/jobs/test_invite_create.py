import pytest
from django.urls import reverse

from jobs.models import Invite
from jobs.services import JobError, invite_create
from tests.concurrency import outcomes, run_together
from tests.factories import (
    InviteFactory,
    MembershipFactory,
    approver,
    client_job,
    direct_invite,
    freelancer,
    hiring_manager,
)

pytestmark = pytest.mark.django_db


def test_a_hiring_manager_invites_a_freelancer_with_a_message(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    job = client_job(title="Billing platform")
    ada = freelancer(user__full_name="Ada Lovelace", user__email="ada@example.test")
    client.force_login(job.posted_by)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("jobs:invite_create", args=[job.pk]),
            {
                "freelancer": ada.pk,
                "message": "You would be perfect for this.",
            },
        )
    assert response.status_code == 302
    invite = Invite.objects.get(job=job, freelancer=ada)
    assert invite.source == Invite.Source.DIRECT and invite.invited_by == job.posted_by
    assert invite.message == "You would be perfect for this."
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["ada@example.test"]
    assert "Billing platform" in mailoutbox[0].subject
    assert f"/proposals/invitations/{invite.pk}/" in mailoutbox[0].body


def test_the_invite_form_needs_a_freelancer_and_a_message_and_keeps_what_was_typed(client):
    job = client_job()
    client.force_login(job.posted_by)
    response = client.post(reverse("jobs:invite_create", args=[job.pk]), {"message": "typed text"})
    assert response.status_code == 400
    assert "Type the name or email of the freelancer you want to invite." in response.content.decode()
    assert "typed text" in response.content.decode()
    assert not Invite.objects.exists()


def test_the_invite_page_lists_nobody_and_a_profile_link_prefills_the_freelancer(client):
    job = client_job()
    grace = freelancer(user__full_name="Grace Hopper", skills="COBOL")
    client.force_login(job.posted_by)
    page = client.get(reverse("jobs:invite_create", args=[job.pk])).content.decode()
    assert "Grace Hopper" not in page and f'data-search-url="/freelancers/search/?job={job.pk}"' in page
    page = client.get(reverse("jobs:invite_create", args=[job.pk]), {"freelancer": grace.pk}).content.decode()
    assert 'name="freelancer_search" value="Grace Hopper"' in page


def test_direct_invites_stop_at_the_jobs_limit():
    job = client_job(direct_invite_limit=2)
    for _ in range(2):
        invite_create(job=job, invited_by=job.posted_by, freelancer=freelancer(), message="hi")
    with pytest.raises(JobError, match="used all 2 of its direct invites"):
        invite_create(job=job, invited_by=job.posted_by, freelancer=freelancer(), message="hi")
    assert job.invites.count() == 2


def test_referral_invites_do_not_count_against_the_limit():
    job = client_job(direct_invite_limit=1)
    InviteFactory(job=job, freelancer=freelancer(), source=Invite.Source.REFERRAL)
    InviteFactory(job=job, freelancer=freelancer(), source=Invite.Source.REFERRAL)
    invite = invite_create(job=job, invited_by=job.posted_by, freelancer=freelancer(), message="hi")
    assert invite.source == Invite.Source.DIRECT


def test_the_default_limit_is_30_direct_invites():
    job = client_job()
    assert job.direct_invite_limit == 30


def test_inviting_someone_twice_is_refused():
    invite = direct_invite()
    with pytest.raises(JobError, match="already has an invite"):
        invite_create(job=invite.job, invited_by=invite.job.posted_by, freelancer=invite.freelancer)


def test_inviting_a_member_of_the_company_or_a_non_freelancer_is_refused():
    job = client_job()
    insider = freelancer()
    MembershipFactory(user=insider, company=job.company)
    with pytest.raises(JobError, match="member of"):
        invite_create(job=job, invited_by=job.posted_by, freelancer=insider)
    with pytest.raises(JobError, match="not an active freelancer"):
        invite_create(job=job, invited_by=job.posted_by, freelancer=hiring_manager())


def test_only_hiring_managers_of_the_company_can_invite(client):
    job = client_job()
    company_approver = approver(company=job.company)
    with pytest.raises(JobError, match="Only hiring managers"):
        invite_create(job=job, invited_by=company_approver, freelancer=freelancer())
    with pytest.raises(JobError, match="Only hiring managers"):
        invite_create(job=job, invited_by=hiring_manager(), freelancer=freelancer())
    client.force_login(hiring_manager())
    assert client.get(reverse("jobs:invite_create", args=[job.pk])).status_code == 404
    assert client.get(reverse("jobs:job_invitees", args=[job.pk])).status_code == 404
    assert not Invite.objects.exists()


def test_freelancers_cannot_open_the_invite_pages_of_a_job(client):
    job = client_job()
    client.force_login(freelancer())
    assert client.get(reverse("jobs:invite_create", args=[job.pk])).status_code == 404
    assert client.get(reverse("jobs:job_invitees", args=[job.pk])).status_code == 404


def test_the_job_page_links_to_invitees_and_invite(client):
    job = client_job()
    client.force_login(job.posted_by)
    page = client.get(reverse("jobs:job_detail", args=[job.pk])).content.decode()
    assert reverse("jobs:job_invitees", args=[job.pk]) in page
    assert reverse("jobs:invite_create", args=[job.pk]) in page


@pytest.mark.django_db(transaction=True)
def test_two_invites_racing_for_the_last_direct_slot_make_exactly_one():
    job = client_job(direct_invite_limit=2)
    direct_invite(freelancer(), job=job)
    results = outcomes(run_together(
        lambda: invite_create(job=job, invited_by=job.posted_by, freelancer=freelancer()),
        lambda: invite_create(job=job, invited_by=job.posted_by, freelancer=freelancer()),
    ))
    assert sorted(results) == ["This job has used all 2 of its direct invites.", "ok"]
    assert Invite.objects.filter(job=job, source=Invite.Source.DIRECT).count() == 2
