"""The search behind the freelancer field (/freelancers/search/): only someone who may use
that picker, only public fields, at most 10 results, and the same queries for 1 or 500
freelancers on the endpoint and on the pages with a freelancer field."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import FreelancerProfile, User
from jobs.models import Job
from tests.factories import (
    approver,
    beta_freelancer,
    client_job,
    direct_invite,
    freelancer,
    hiring_manager,
    non_beta_freelancer,
)

pytestmark = pytest.mark.django_db
URL = "/freelancers/search/"


def search(client, q, **params):
    return client.get(reverse("jobs:freelancer_search"), {"q": q, **params})


def many_freelancers(count, name="Sam"):
    users = User.objects.bulk_create(
        User(email=f"{name.lower()}{i}@example.test", full_name=f"{name} Number{i:04}") for i in range(count)
    )
    FreelancerProfile.objects.bulk_create(FreelancerProfile(user=user, title="Tester") for user in users)


def test_the_address_is_the_one_the_fields_use():
    assert reverse("jobs:freelancer_search") == URL


def test_a_hiring_manager_gets_public_fields_only(client):
    freelancer(user__full_name="Grace Hopper", user__email="grace@example.test", title="Compiler engineer",
               hourly_rate="95.00")
    client.force_login(hiring_manager())
    response = search(client, "hopp")
    assert response.status_code == 200
    assert response.json() == {
        "results": [{
            "id": User.objects.get(email="grace@example.test").pk, "name": "Grace Hopper",
            "title": "Compiler engineer", "rate": "95.00 USD/h", "unavailable": "",
        }],
        "more": False,
    }
    assert b"grace@example.test" not in response.content


def test_a_part_of_an_email_finds_nobody_and_the_whole_email_finds_its_owner(client):
    grace = freelancer(user__full_name="Grace Hopper", user__email="grace@example.test")
    client.force_login(hiring_manager())
    for part in ("grace@", "grace@example", "race@example.test"):
        assert search(client, part).json()["results"] == []
    assert [r["id"] for r in search(client, "GRACE@example.TEST").json()["results"]] == [grace.pk]


def test_inactive_freelancers_and_client_members_are_never_found(client):
    freelancer(user__full_name="Gone Person", user__is_active=False)
    manager = hiring_manager(full_name="Person Manager")
    client.force_login(manager)
    assert search(client, "person").json()["results"] == []


def test_results_are_bounded_to_ten_and_say_there_are_more(client):
    many_freelancers(15)
    client.force_login(hiring_manager())
    body = search(client, "number").json()
    assert len(body["results"]) == 10 and body["more"] is True
    assert body["results"][0]["name"] == "Sam Number0000"


def test_fewer_than_three_letters_search_nobody(client):
    freelancer(user__full_name="Al Ng")
    client.force_login(hiring_manager())
    assert search(client, "al").json() == {"results": [], "more": False}
    assert search(client, "x" * 5000).status_code == 200


@pytest.mark.parametrize("who", ["anonymous", "freelancer", "approver only"])
def test_only_someone_who_may_pick_a_freelancer_may_search(client, who):
    freelancer(user__full_name="Grace Hopper")
    if who == "freelancer":
        client.force_login(freelancer())
    elif who == "approver only":
        client.force_login(approver())
    response = search(client, "grace")
    assert response.status_code == 403
    assert b"Grace" not in response.content


def test_the_invite_search_needs_a_job_of_ones_company_open_to_invites(client):
    job = client_job()
    theirs = client_job()
    invited = freelancer(user__full_name="Grace Invited")
    freelancer(user__full_name="Grace Free")
    direct_invite(invited, job=job)
    client.force_login(job.posted_by)
    results = search(client, "grace", job=job.pk).json()["results"]
    assert [(r["name"], r["unavailable"]) for r in results] == [
        ("Grace Free", ""), ("Grace Invited", "Already invited"),
    ]
    assert search(client, "grace", job=theirs.pk).status_code == 404
    assert search(client, "grace", job="9" * 30).status_code == 404
    Job.objects.filter(pk=job.pk).update(status=Job.Status.CLOSED)
    assert search(client, "grace", job=job.pk).status_code == 403


def test_the_refer_search_is_for_the_invited_freelancer_in_the_beta_and_leaves_them_out(client):
    ada = beta_freelancer(user__full_name="Ada Lovelace")
    invite = direct_invite(ada)
    freelancer(user__full_name="Ada Byron")
    client.force_login(ada)
    assert [r["name"] for r in search(client, "ada", invite=invite.pk).json()["results"]] == ["Ada Byron"]

    client.force_login(beta_freelancer())  # someone else's invite
    assert search(client, "ada", invite=invite.pk).status_code == 404
    outsider = non_beta_freelancer()
    client.force_login(outsider)
    assert search(client, "ada", invite=direct_invite(outsider).pk).status_code == 403


def _queries(client, url, params) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(captured)


def test_the_search_and_the_pages_with_a_freelancer_field_run_the_same_queries_for_1_or_500(client):
    manager = hiring_manager()
    approver(manager.membership.company)
    job = client_job(company=manager.membership.company)
    client.force_login(manager)
    many_freelancers(1)
    pages = [
        (URL, {"q": "number"}), (URL, {"q": "number", "job": job.pk}),
        (reverse("approvals:create"), {}), (reverse("offers:offer_create"), {}),
        (reverse("jobs:invite_create", args=[job.pk]), {}),
    ]
    _queries(client, URL, {"q": "warm"})  # the session and the like, read once
    with_one = [_queries(client, url, params) for url, params in pages]
    many_freelancers(499, name="Pat")
    many_freelancers(100, name="Sam2")  # more matches of "number" than are shown
    with_many = [_queries(client, url, params) for url, params in pages]
    assert with_many == with_one
    page = client.get(reverse("approvals:create")).content.decode()
    assert "Pat Number" not in page and "Sam Number" not in page


def test_the_refer_page_runs_the_same_queries_for_1_or_500_freelancers(client):
    ada = beta_freelancer(user__full_name="Ada Lovelace")
    invite = direct_invite(ada)
    client.force_login(ada)
    refer = reverse("referrals:refer", args=[invite.pk])
    many_freelancers(1)
    _queries(client, refer, {})
    with_one = (_queries(client, refer, {}), _queries(client, URL, {"q": "number", "invite": invite.pk}))
    many_freelancers(499, name="Pat")
    with_many = (_queries(client, refer, {}), _queries(client, URL, {"q": "number", "invite": invite.pk}))
    assert with_many == with_one
