import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jobs.services import invite_accept, invite_decline
from offers.models import Offer
from referrals.services import referral_create
from tests.factories import beta_freelancer, direct_invite, freelancer, offer_for_job, set_referral_settings

pytestmark = pytest.mark.django_db


def refer_someone(referrer, referred=None, **referred_kwargs):
    original = direct_invite(referrer)
    referred = referred or freelancer(**referred_kwargs)
    return referral_create(invite_id=original.pk, referrer=referrer, referred=referred, reason="Busy")


def test_the_referrals_tab_shows_the_count_and_each_referral_with_its_outcome(client):
    ada = beta_freelancer()
    pending = refer_someone(ada, user__full_name="Pending Person")
    accepted = refer_someone(ada, user__full_name="Accepted Person")
    declined = refer_someone(ada, user__full_name="Declined Person")
    hired = refer_someone(ada, user__full_name="Hired Person")
    invite_accept(invite_id=accepted.new_invite.pk, freelancer=accepted.referred)
    invite_decline(invite_id=declined.new_invite.pk, freelancer=declined.referred, reason="No")
    invite_accept(invite_id=hired.new_invite.pk, freelancer=hired.referred)
    offer_for_job(hired.job, hired.referred, state=Offer.State.ACCEPTED)
    # A sent (not accepted) offer is not a hire.
    offer_for_job(accepted.job, accepted.referred, state=Offer.State.SENT)

    client.force_login(ada)
    response = client.get(reverse("referrals:list"))
    page = response.content.decode()
    assert response.context["counts"] == {"referrals": 4, "referred": 4, "hired": 1}
    assert 'data-testid="referred-count">4<' in page
    outcomes = {r.referred.full_name: r.outcome for r in response.context["page"].object_list}
    assert outcomes == {
        "Pending Person": "pending",
        "Accepted Person": "accepted",
        "Declined Person": "declined",
        "Hired Person": "hired",
    }
    for referral in (pending, accepted, declined, hired):
        assert referral.job.title in page
    assert "badge-hired" in page


def test_the_count_is_of_different_freelancers_even_when_one_is_referred_to_two_jobs(client):
    ada = beta_freelancer()
    grace = freelancer(user__full_name="Grace Hopper")
    refer_someone(ada, referred=grace)
    refer_someone(ada, referred=grace)
    client.force_login(ada)
    response = client.get(reverse("referrals:list"))
    assert response.context["counts"] == {"referrals": 2, "referred": 1, "hired": 0}
    page = response.content.decode()
    assert 'data-testid="referred-count">1<' in page and "in 2 referrals" in page
    assert page.count("Grace Hopper") == 2
    # The beta notice does not link the Referrals tab to itself.
    notice = page.split("Referrals beta")[1].split("</div>")[0]
    assert f'href="{reverse("referrals:list")}"' not in notice


def test_the_referrals_tab_shows_the_jobs_others_referred_to_me(client):
    grace = freelancer()
    referral = refer_someone(beta_freelancer(user__full_name="Ada Lovelace"), referred=grace)
    client.force_login(grace)
    page = client.get(reverse("referrals:list")).content.decode()
    section = page[page.index("Jobs referred to you") :]
    assert referral.job.title in section and '<td data-label="Referred by">Ada Lovelace</td>' in section


def test_another_freelancers_referrals_are_not_shown(client):
    theirs = refer_someone(beta_freelancer(), user__full_name="Someone Else")
    me = beta_freelancer()
    mine = refer_someone(me, user__full_name="My Referral")
    client.force_login(me)
    page = client.get(reverse("referrals:list")).content.decode()
    assert "My Referral" in page and mine.job.title in page
    assert "Someone Else" not in page and theirs.job.title not in page


def _queries(client, user):
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("referrals:list")).status_code == 200
    return len(queries)


def test_referrals_tab_runs_the_same_queries_for_1_or_many_rows(client, django_assert_max_num_queries):
    set_referral_settings(daily_referral_cap=50)
    few, many = beta_freelancer(), beta_freelancer()
    refer_someone(few)
    refer_someone(beta_freelancer(), referred=few)
    for _ in range(12):
        refer_someone(many)
        refer_someone(beta_freelancer(), referred=many)
    baseline = _queries(client, few)
    client.force_login(many)
    with django_assert_max_num_queries(baseline):
        client.get(reverse("referrals:list"))
