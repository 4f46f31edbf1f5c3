"""The hiring manager's invite flow, page by page as a manager clicks through it (no JavaScript
needed): job page → Invite a freelancer → type a name and a message → Send → Invitees, then
the invitee declines and refers someone, and the manager sees them marked Referred."""

import re

import pytest
from django.urls import reverse

from jobs.models import Invite
from referrals.services import referral_create
from tests.factories import beta_freelancer, client_job, freelancer

pytestmark = pytest.mark.django_db


def link(html, text):
    """The href of the first link whose text contains ``text``."""
    match = re.search(r'<a[^>]*href="([^"]+)"[^>]*>[^<]*' + re.escape(text), html)
    assert match, f"no link {text!r}"
    return match[1]


def test_a_manager_finds_selects_and_invites_a_freelancer_then_sees_them_referred_onward(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    job = client_job(title="Billing platform")
    ada = beta_freelancer(
        user__full_name="Ada Lovelace", user__email="ada@example.test", title="Engine programmer",
        skills="Python, Algorithms",
    )
    grace = freelancer(user__full_name="Grace Hopper", skills="COBOL")
    client.force_login(job.posted_by)

    job_page = client.get(reverse("jobs:job_detail", args=[job.pk])).content.decode()
    invite_url = link(job_page, "Invite a freelancer")
    form = client.get(invite_url)
    assert form.status_code == 200
    assert 'name="freelancer_search"' in form.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(
            invite_url, {"freelancer_search": "ada lovel", "freelancer": "", "message": "You fit this."},
            follow=True,
        )
    assert sent.redirect_chain[-1][0] == reverse("jobs:job_invitees", args=[job.pk])
    invitees = sent.content.decode()
    assert "Ada Lovelace is invited to “Billing platform”." in invitees
    assert "1 of 30 direct invites used" in invitees
    invite = Invite.objects.get(job=job, freelancer=ada, source=Invite.Source.DIRECT)
    assert [m.to for m in mailoutbox] == [["ada@example.test"]]

    referral_create(invite_id=invite.pk, referrer=ada, referred=grace, reason="Too busy right now")
    invitees = client.get(reverse("jobs:job_invitees", args=[job.pk])).content.decode()
    grace_row = invitees[invitees.index("Grace Hopper"):]
    grace_row = grace_row[: grace_row.index("</tr>")]
    assert "Referred" in grace_row and "by Ada Lovelace" in grace_row
    # The referral invite does not use one of the job's direct invites.
    assert "1 of 30 direct invites used" in invitees
