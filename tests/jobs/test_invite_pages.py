import pytest
from django.urls import reverse

from jobs.models import Invite
from jobs.services import invite_accept, invite_decline
from referrals.services import referral_create
from tests.factories import (
    InviteFactory,
    beta_freelancer,
    client_job,
    direct_invite,
    freelancer,
    hiring_manager,
)

pytestmark = pytest.mark.django_db


def make_invites(user, count):
    for _ in range(count):
        direct_invite(user)
    for _ in range(count):
        # A referral invite: the page shows its referrer.
        original = direct_invite(beta_freelancer())
        referral_create(invite_id=original.pk, referrer=original.freelancer, referred=user, reason="Busy")


def count_queries(client, url, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_invitations_page_runs_the_same_queries_for_1_or_many_invites(client, django_assert_max_num_queries):
    url = reverse("jobs:invitations")
    few, many = freelancer(), freelancer()
    make_invites(few, 1)
    make_invites(many, 12)
    client.force_login(few)
    baseline = count_queries(client, url, django_assert_max_num_queries)
    client.force_login(many)
    with django_assert_max_num_queries(baseline):
        response = client.get(url)
    assert response.content.decode().count("Referred by") >= 12


def test_job_invitees_page_runs_the_same_queries_for_1_or_many_invitees(
    client, django_assert_max_num_queries
):
    small, big = client_job(), client_job()
    for job, count in ((small, 1), (big, 15)):
        for _ in range(count):
            direct_invite(job=job)
            original = direct_invite(beta_freelancer(), job=job)
            referral_create(
                invite_id=original.pk, referrer=original.freelancer, referred=freelancer(), reason="Busy"
            )
    client.force_login(small.posted_by)
    baseline = count_queries(
        client, reverse("jobs:job_invitees", args=[small.pk]), django_assert_max_num_queries
    )
    client.force_login(big.posted_by)
    with django_assert_max_num_queries(baseline):
        response = client.get(reverse("jobs:job_invitees", args=[big.pk]))
    assert response.content.decode().count('badge-referral">Referred</span>') == 15


def test_the_client_sees_the_referred_invitee_marked_referred_with_the_referrers_name(client):
    job = client_job()
    ada = beta_freelancer(user__full_name="Ada Lovelace")
    grace = freelancer(user__full_name="Grace Hopper")
    original = direct_invite(ada, job=job)
    referral_create(invite_id=original.pk, referrer=ada, referred=grace, reason="Too busy right now")
    client.force_login(job.posted_by)
    page = client.get(reverse("jobs:job_invitees", args=[job.pk])).content.decode()
    row = page[page.index("Grace Hopper") :]
    row = row[: row.index("</tr>")]
    assert "Referred" in row and "by Ada Lovelace" in row
    declined_row = page[page.index(">Ada Lovelace<") :]
    assert "Too busy right now" in declined_row[: declined_row.index("</tr>")]
    assert "Referred Grace Hopper instead" in declined_row[: declined_row.index("</tr>")]


def test_the_referred_freelancers_invite_page_and_notification_say_referred_by(client):
    ada = beta_freelancer(user__full_name="Ada Lovelace")
    grace = freelancer(user__full_name="Grace Hopper")
    original = direct_invite(ada)
    referral = referral_create(
        invite_id=original.pk, referrer=ada, referred=grace, reason="Busy", note="Go Grace"
    )
    client.force_login(grace)
    listing = client.get(reverse("jobs:invitations")).content.decode()
    assert "Referred by Ada Lovelace" in listing
    detail = client.get(reverse("jobs:invite_detail", args=[referral.new_invite.pk])).content.decode()
    assert "Referred by Ada Lovelace" in detail and "Go Grace" in detail
    assert "costs no Connects" in detail


def test_invitations_tabs_filter_by_state(client):
    ada = freelancer()
    pending = direct_invite(ada)
    declined = direct_invite(ada, state=Invite.State.DECLINED)
    client.force_login(ada)
    page = client.get(reverse("jobs:invitations")).content.decode()
    assert pending.job.title in page and declined.job.title not in page
    page = client.get(reverse("jobs:invitations"), {"tab": "declined"}).content.decode()
    assert declined.job.title in page and pending.job.title not in page


def test_clients_cannot_open_invitations(client):
    client.force_login(hiring_manager())
    assert client.get(reverse("jobs:invitations")).status_code == 404


def test_the_freelancer_profile_page_is_for_signed_in_users_and_only_freelancers(client):
    grace = freelancer(user__full_name="Grace Hopper", title="Compiler engineer")
    url = reverse("jobs:freelancer_profile", args=[grace.pk])
    assert client.get(url).status_code == 302
    client.force_login(hiring_manager())
    assert "Compiler engineer" in client.get(url).content.decode()
    assert client.get(reverse("jobs:freelancer_profile", args=[hiring_manager().pk])).status_code == 404
    gone = freelancer(user__is_active=False)
    assert client.get(reverse("jobs:freelancer_profile", args=[gone.pk])).status_code == 404


def test_a_referral_invite_is_listed_with_the_referrer_even_when_created_directly(client):
    grace = freelancer()
    InviteFactory(freelancer=grace, source=Invite.Source.REFERRAL)
    client.force_login(grace)
    assert client.get(reverse("jobs:invitations")).status_code == 200


def test_answered_invitations_show_what_happened_not_what_accepting_would_cost(client):
    ada = freelancer(connects_balance=20)
    accepted = direct_invite(ada, job=client_job(title="Accepted job", connects_price=6))
    declined = direct_invite(ada, job=client_job(title="Declined job", connects_price=6))
    invite_accept(invite_id=accepted.pk, freelancer=ada)
    invite_decline(invite_id=declined.pk, freelancer=ada, reason="Too busy right now")
    client.force_login(ada)
    page = client.get(reverse("jobs:invitations"), {"tab": "accepted"}).content.decode()
    assert "Accepted job" in page and "Accepting costs" not in page
    assert "6 Connects spent" in page
    page = client.get(reverse("jobs:invitations"), {"tab": "declined"}).content.decode()
    assert "Declined job" in page and "Accepting costs" not in page
    assert "You declined: Too busy right now" in page


def test_the_invitations_list_is_not_one_query_of_ten_tables(client):
    """PostgreSQL took 10 ms to plan the list joined to its referrals and their people (ten
    tables), on every render; the referrals now come in a query each, and the page still names
    who referred each invite."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    user = beta_freelancer()
    make_invites(user, 3)
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("jobs:invitations")).content.decode()
    lists = [q["sql"] for q in queries if q["sql"].startswith('SELECT "jobs_invite"."id"')]
    assert lists and all(sql.count(" JOIN ") <= 4 for sql in lists)
    referrer = Invite.objects.filter(freelancer=user, source="referral").first().referral.referrer
    assert referrer.full_name in page
