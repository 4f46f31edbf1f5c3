"""Who may see and act on an offer: its company (the sender acts), the freelancer it is
addressed to; everyone else gets 404, anonymous users the sign-in page."""

import pytest
from django.urls import reverse

from tests.factories import CompanyFactory, approver, freelancer, hiring_manager, sent_offer
from tests.offers.helpers import modify_post

pytestmark = pytest.mark.django_db

ROLES = ["manager", "other_member", "other_company", "addressee", "other_freelancer", "anonymous"]


@pytest.fixture
def offer(manager, approval):
    return sent_offer(sent_by=manager, approval_request=approval)


@pytest.fixture
def people(manager, company, talent):
    return {
        "manager": manager,
        "other_member": approver(company, full_name="Colleague"),
        "other_company": hiring_manager(CompanyFactory()),
        "addressee": talent,
        "other_freelancer": freelancer(),
        "anonymous": None,
    }


def _client_as(client, people, role):
    if people[role] is not None:
        client.force_login(people[role])
    return client


def _expect(response, expected):
    if expected == "login":
        assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))
    else:
        assert response.status_code == expected


@pytest.mark.parametrize("role, expected", list(zip(ROLES, [200, 200, 404, 200, 404, "login"], strict=True)))
def test_offer_page(client, people, offer, role, expected):
    response = _client_as(client, people, role).get(reverse("offers:offer_detail", args=[offer.pk]))
    _expect(response, expected)


@pytest.mark.parametrize("role, expected", list(zip(ROLES, [200, 200, 200, 404, 404, "login"], strict=True)))
def test_client_offer_list_shows_only_the_company_offers(client, people, offer, role, expected):
    response = _client_as(client, people, role).get(reverse("offers:offer_list"))
    _expect(response, expected)
    if expected == 200:
        shown = offer in response.context["page"].object_list
        assert shown == (role != "other_company")


@pytest.mark.parametrize("role, expected", list(zip(ROLES, [404, 404, 404, 200, 200, "login"], strict=True)))
def test_freelancer_offer_list_shows_only_their_own_offers(client, people, offer, role, expected):
    response = _client_as(client, people, role).get(reverse("offers:freelancer_offers"))
    _expect(response, expected)
    if expected == 200:
        assert (offer in response.context["page"].object_list) == (role == "addressee")
        assert 'aria-current="page">Offers</a>' in response.content.decode()


@pytest.mark.parametrize("role, expected", list(zip(ROLES, [302, 302, 404, 404, 404, "login"], strict=True)))
def test_withdraw(client, people, offer, role, expected):
    response = _client_as(client, people, role).post(
        reverse("offers:offer_withdraw", args=[offer.pk]), {"confirm": "yes"}
    )
    _expect(response, expected)
    offer.refresh_from_db()
    assert offer.state == ("withdrawn" if role == "manager" else "sent")


@pytest.mark.parametrize("role, expected", list(zip(ROLES, [302, 200, 404, 404, 404, "login"], strict=True)))
def test_modify(client, people, offer, role, expected):
    url = reverse("offers:offer_modify", args=[offer.pk])
    response = _client_as(client, people, role).post(url, modify_post(offer, title="Changed title"))
    _expect(response, expected)
    if role == "other_member":
        assert "Only the hiring manager who sent this offer" in response.content.decode()
    offer.refresh_from_db()
    assert offer.revision == (2 if role == "manager" else 1)


@pytest.mark.parametrize("role, expected", list(zip(ROLES, [404, 404, 404, 302, 404, "login"], strict=True)))
def test_accept(client, people, offer, role, expected):
    response = _client_as(client, people, role).post(reverse("offers:offer_accept", args=[offer.pk]))
    _expect(response, expected)
    offer.refresh_from_db()
    assert offer.state == ("accepted" if role == "addressee" else "sent")


@pytest.mark.parametrize("role, expected", list(zip(ROLES, [404, 404, 404, 302, 404, "login"], strict=True)))
def test_decline(client, people, offer, role, expected):
    url = reverse("offers:offer_decline", args=[offer.pk])
    response = _client_as(client, people, role).post(url, {"reason": "Not for me", "confirm": "yes"})
    _expect(response, expected)
    offer.refresh_from_db()
    assert offer.state == ("declined" if role == "addressee" else "sent")


@pytest.mark.parametrize("role, expected", list(zip(ROLES, [200, 302, 200, 404, 404, "login"], strict=True)))
def test_offer_form(client, people, role, expected):
    """Hiring managers get the form; other members are told only managers send offers."""
    response = _client_as(client, people, role).get(reverse("offers:offer_create"))
    _expect(response, expected)


def test_actions_shown_only_to_who_may_use_them(client, people, offer):
    url = reverse("offers:offer_detail", args=[offer.pk])
    html = _client_as(client, people, "manager").get(url).content.decode()
    assert "Withdraw offer" in html and "Modify offer" in html and "Accept offer" not in html
    html = _client_as(client, people, "other_member").get(url).content.decode()
    assert "Withdraw offer" not in html and "Modify offer" not in html
    html = _client_as(client, people, "addressee").get(url).content.decode()
    assert "Accept offer" in html and "Decline offer" in html and "Withdraw offer" not in html


@pytest.mark.parametrize("name", ["offer_withdraw", "offer_accept", "offer_decline", "offer_modify"])
def test_state_changing_endpoints_reject_get(client, people, offer, name):
    for role in ["manager", "addressee"]:
        response = _client_as(client, people, role).get(reverse(f"offers:{name}", args=[offer.pk]))
        assert response.status_code == 405
    offer.refresh_from_db()
    assert offer.state == "sent" and offer.revision == 1
