import datetime

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from jobs.models import Invite, Proposal
from referrals.models import Referral
from referrals.services import ReferralError, referral_create
from tests.factories import (
    InviteFactory,
    MembershipFactory,
    UserFactory,
    beta_freelancer,
    client_job,
    direct_invite,
    freelancer,
    offer_for_job,
    set_referral_settings,
)

pytestmark = pytest.mark.django_db


def refer(invite, referred, reason="Too busy right now", note=""):
    return referral_create(
        invite_id=invite.pk, referrer=invite.freelancer, referred=referred, reason=reason, note=note
    )


def assert_nothing_saved(invite, referrals_before=0):
    invite.refresh_from_db()
    assert invite.state == Invite.State.PENDING
    assert Referral.objects.count() == referrals_before
    assert (
        not Invite.objects.filter(source=Invite.Source.REFERRAL)
        .exclude(pk__in=Referral.objects.values("new_invite"))
        .exists()
    )


def test_decline_and_refer_declines_and_invites_the_referred_freelancer_in_the_name_of_the_manager():
    invite = direct_invite(beta_freelancer(), message="Join us")
    grace = freelancer(user__full_name="Grace Hopper")

    referral = refer(invite, grace, note="Grace is the best compiler person I know.")

    invite.refresh_from_db()
    assert invite.state == Invite.State.DECLINED
    assert invite.decline_reason == "Too busy right now"
    new_invite = referral.new_invite
    assert new_invite.freelancer == grace
    assert new_invite.source == Invite.Source.REFERRAL
    assert new_invite.invited_by == invite.invited_by
    assert new_invite.state == Invite.State.PENDING
    assert referral.referrer == invite.freelancer and referral.job == invite.job
    assert referral.note == "Grace is the best compiler person I know."


def test_referring_yourself_is_refused():
    invite = direct_invite(beta_freelancer())
    with pytest.raises(ReferralError, match="cannot refer yourself"):
        refer(invite, invite.freelancer)
    assert_nothing_saved(invite)


def test_referring_an_inactive_account_is_refused():
    invite = direct_invite(beta_freelancer())
    inactive = freelancer(user__full_name="Gone Person", user__is_active=False)
    with pytest.raises(ReferralError, match="Gone Person is not an active freelancer"):
        refer(invite, inactive)
    assert_nothing_saved(invite)


def test_referring_someone_who_is_not_a_freelancer_is_refused():
    invite = direct_invite(beta_freelancer())
    client_person = UserFactory(full_name="Clara Client")
    MembershipFactory(user=client_person)
    with pytest.raises(ReferralError, match="Clara Client is not an active freelancer"):
        refer(invite, client_person)
    assert_nothing_saved(invite)


def test_referring_a_member_of_the_clients_company_is_refused():
    invite = direct_invite(beta_freelancer())
    insider = freelancer(user__full_name="Ingrid Insider")
    MembershipFactory(user=insider, company=invite.job.company)
    with pytest.raises(ReferralError, match=f"member of {invite.job.company.name}"):
        refer(invite, insider)
    assert_nothing_saved(invite)


def test_referring_someone_already_invited_to_the_job_is_refused():
    invite = direct_invite(beta_freelancer())
    other = direct_invite(job=invite.job).freelancer
    with pytest.raises(ReferralError, match="already has an invite to this job"):
        refer(invite, other)
    assert_nothing_saved(invite)


def test_referring_someone_with_a_proposal_for_the_job_is_refused():
    invite = direct_invite(beta_freelancer())
    other = freelancer()
    Proposal.objects.create(job=invite.job, freelancer=other)
    with pytest.raises(ReferralError, match="already sent a proposal"):
        refer(invite, other)
    assert_nothing_saved(invite)


def test_referring_someone_with_an_offer_for_the_job_is_refused():
    invite = direct_invite(beta_freelancer())
    other = freelancer()
    offer_for_job(invite.job, other)
    with pytest.raises(ReferralError, match="already has an offer"):
        refer(invite, other)
    assert_nothing_saved(invite)


def test_referring_someone_already_referred_to_the_job_is_refused():
    job = client_job()
    first = direct_invite(beta_freelancer(), job=job)
    second = direct_invite(beta_freelancer(), job=job)
    grace = freelancer(user__full_name="Grace Hopper")
    refer(first, grace)
    with pytest.raises(ReferralError, match="Grace Hopper was already referred to this job"):
        refer(second, grace)
    assert_nothing_saved(second, referrals_before=1)


def test_a_second_referral_from_the_same_declined_invite_is_refused():
    invite = direct_invite(beta_freelancer())
    refer(invite, freelancer())
    with pytest.raises(ReferralError, match="already referred someone for this invite"):
        refer(invite, freelancer())
    assert Referral.objects.count() == 1
    assert Invite.objects.filter(source=Invite.Source.REFERRAL).count() == 1


def test_the_database_refuses_a_second_referral_from_the_same_invite():
    referral = refer(direct_invite(beta_freelancer()), freelancer())
    another = InviteFactory(job=referral.job, freelancer=freelancer(), source="referral")
    with pytest.raises(IntegrityError), transaction.atomic():
        Referral.objects.create(
            job=referral.job,
            referrer=referral.referrer,
            referred=another.freelancer,
            original_invite=referral.original_invite,
            new_invite=another,
        )


def test_a_declined_invite_without_a_referral_can_still_refer_once():
    invite = direct_invite(beta_freelancer(), state=Invite.State.DECLINED, decline_reason="Busy")
    referral = refer(invite, freelancer(), reason="")
    invite.refresh_from_db()
    assert invite.decline_reason == "Busy"
    assert referral.new_invite.state == Invite.State.PENDING


def test_an_accepted_invite_cannot_refer():
    invite = direct_invite(beta_freelancer(), state=Invite.State.ACCEPTED)
    with pytest.raises(ReferralError, match="You accepted this invite"):
        refer(invite, freelancer())
    assert Referral.objects.count() == 0


def test_more_than_the_daily_cap_is_refused():
    set_referral_settings(daily_referral_cap=2)
    referrer = beta_freelancer()
    for _ in range(2):
        refer(direct_invite(referrer), freelancer())
    third = direct_invite(referrer)
    with pytest.raises(ReferralError, match="up to 2 freelancers in 24 hours"):
        refer(third, freelancer())
    assert_nothing_saved(third, referrals_before=2)


def test_the_daily_cap_counts_only_the_last_24_hours():
    set_referral_settings(daily_referral_cap=1)
    referrer = beta_freelancer()
    yesterdays = refer(direct_invite(referrer), freelancer())
    Referral.objects.filter(pk=yesterdays.pk).update(
        created_at=timezone.now() - datetime.timedelta(hours=25)
    )
    assert refer(direct_invite(referrer), freelancer()).pk


def test_the_default_daily_cap_is_ten():
    referrer = beta_freelancer()
    for _ in range(10):
        refer(direct_invite(referrer), freelancer())
    with pytest.raises(ReferralError, match="up to 10 freelancers"):
        refer(direct_invite(referrer), freelancer())


def test_a_freelancer_outside_the_beta_cannot_refer():
    invite = direct_invite(freelancer())
    set_referral_settings(rollout_percentage=0)
    with pytest.raises(ReferralError, match="beta"):
        refer(invite, freelancer())
    assert_nothing_saved(invite)


def test_a_pending_invite_needs_a_reason_to_decline_and_refer():
    invite = direct_invite(beta_freelancer())
    with pytest.raises(ReferralError, match="why you are declining"):
        refer(invite, freelancer(), reason="  ")
    assert_nothing_saved(invite)


# The page


def refer_url(invite):
    return reverse("referrals:refer", args=[invite.pk])


def _refer_form(invite, text):
    from referrals.forms import ReferForm

    form = ReferForm(
        {"reason": "Too busy right now", "freelancer_search": text, "freelancer": ""},
        invite=invite, referrer=invite.freelancer,
    )
    form.is_valid()
    return form


def test_refer_page_resolves_a_typed_name_without_javascript(client):
    invite = direct_invite(beta_freelancer())
    grace = freelancer(user__full_name="Grace Hopper", title="Compiler engineer", skills="COBOL, Compilers")
    freelancer(user__full_name="Linus Torvalds", title="Kernel developer", skills="C, Linux")
    client.force_login(invite.freelancer)
    response = client.post(
        refer_url(invite),
        {"reason": "Too busy right now", "freelancer_search": "grace hop", "freelancer": ""},
    )
    assert response.status_code == 302
    assert Referral.objects.get().referred == grace


def test_refer_page_finds_by_exact_email_or_profile_link():
    invite = direct_invite(beta_freelancer())
    grace = freelancer(user__email="grace@example.test")
    assert _refer_form(invite, "GRACE@example.test").cleaned_data["freelancer"] == grace
    link = f"http://testserver/freelancers/{grace.pk}/"
    assert _refer_form(invite, link).cleaned_data["freelancer"] == grace
    assert "No active freelancer on Greenlight has the email address" in str(
        _refer_form(invite, "nobody@example.test").errors["freelancer"]
    )
    # A fragment of an email is not a search term: it never reveals addresses.
    assert "freelancer" in _refer_form(invite, "grace@").errors


def test_posting_the_refer_form_declines_refers_and_sends_the_referrer_to_the_referrals_tab(
    client, django_capture_on_commit_callbacks
):
    invite = direct_invite(beta_freelancer())
    grace = freelancer()
    client.force_login(invite.freelancer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            refer_url(invite),
            {
                "reason": "Too busy right now",
                "details": "",
                "note": "She is great",
                "freelancer": grace.pk,
            },
        )
    assert response.status_code == 302 and response["Location"] == reverse("referrals:list")
    assert Referral.objects.get().referred == grace


def test_a_refused_referral_shows_the_message_and_keeps_what_was_typed(client):
    invite = direct_invite(beta_freelancer())
    client.force_login(invite.freelancer)
    response = client.post(
        refer_url(invite),
        {
            "reason": "Too busy right now",
            "note": "my typed note",
            "freelancer": invite.freelancer.pk,
        },
    )
    assert response.status_code == 400
    assert "You cannot refer yourself." in response.content.decode()
    assert "my typed note" in response.content.decode()
    assert_nothing_saved(invite)


def test_a_non_beta_freelancer_cannot_open_or_post_decline_and_refer(client):
    set_referral_settings(rollout_percentage=0)
    invite = direct_invite(freelancer())
    client.force_login(invite.freelancer)
    assert client.get(refer_url(invite)).status_code == 404
    response = client.post(refer_url(invite), {"reason": "Too busy right now", "freelancer": freelancer().pk})
    assert response.status_code == 404
    assert_nothing_saved(invite)
    page = client.get(reverse("jobs:invite_detail", args=[invite.pk])).content.decode()
    assert "Decline and refer" not in page and "Decline" in page


def test_a_beta_freelancer_sees_decline_and_refer_on_the_invite(client):
    invite = direct_invite(beta_freelancer())
    client.force_login(invite.freelancer)
    page = client.get(reverse("jobs:invite_detail", args=[invite.pk])).content.decode()
    assert "Decline and refer" in page and refer_url(invite) in page


def test_another_freelancers_invite_cannot_be_referred(client):
    invite = direct_invite(beta_freelancer())
    intruder = beta_freelancer()
    client.force_login(intruder)
    assert client.get(refer_url(invite)).status_code == 404
    response = client.post(refer_url(invite), {"reason": "Too busy right now", "freelancer": freelancer().pk})
    assert response.status_code == 404
    assert_nothing_saved(invite)


def test_posting_without_picking_a_freelancer_says_so(client):
    invite = direct_invite(beta_freelancer())
    client.force_login(invite.freelancer)
    response = client.post(refer_url(invite), {"reason": "Too busy right now", "note": "kept note"})
    assert response.status_code == 400
    assert "Type the name or email of the freelancer you want to refer." in response.content.decode()
    assert "kept note" in response.content.decode()
    assert_nothing_saved(invite)


def test_the_refer_search_leaves_out_the_referrer(client):
    invite = direct_invite(beta_freelancer(user__full_name="Ada Lovelace", skills="Python"))
    freelancer(user__full_name="Ada Byron", skills="Python")
    client.force_login(invite.freelancer)
    response = client.get(reverse("jobs:freelancer_search"), {"invite": invite.pk, "q": "ada"})
    assert [person["name"] for person in response.json()["results"]] == ["Ada Byron"]


def test_an_email_of_someone_who_is_not_an_active_freelancer_reads_as_not_found(client):
    invite = direct_invite(beta_freelancer())
    freelancer(user__email="gone@example.test", user__full_name="Gone Person", user__is_active=False)
    client.force_login(invite.freelancer)
    response = client.post(
        refer_url(invite), {"reason": "Too busy right now", "freelancer_search": "gone@example.test"}
    )
    assert response.status_code == 400 and not Referral.objects.exists()
    assert "Gone Person" not in response.content.decode()
    assert "No active freelancer on Greenlight has the email" in response.content.decode()


def test_the_refer_page_of_a_closed_job_sends_the_freelancer_back_with_a_message(client):
    from jobs.models import Job

    invite = direct_invite(beta_freelancer())
    Job.objects.filter(pk=invite.job_id).update(status=Job.Status.CLOSED)
    client.force_login(invite.freelancer)
    for response in (
        client.get(refer_url(invite), follow=True),
        client.post(
            refer_url(invite), {"reason": "Too busy right now", "freelancer": freelancer().pk}, follow=True
        ),
    ):
        assert response.redirect_chain[-1][0] == reverse("jobs:invite_detail", args=[invite.pk])
        assert "This job is closed: it cannot take referrals." in response.content.decode()
    assert_nothing_saved(invite)
