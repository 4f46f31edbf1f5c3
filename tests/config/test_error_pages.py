"""Error pages say what happened and where to go, inside the normal layout."""

import pytest
from django.test import RequestFactory
from django.views.defaults import server_error

from offers.models import Offer
from tests.factories import approved_request, freelancer, hiring_manager

pytestmark = pytest.mark.django_db


def test_unknown_page_shows_a_helpful_404_with_the_navigation(client):
    client.force_login(hiring_manager())
    response = client.get("/offers/999999/")
    body = response.content.decode()
    assert response.status_code == 404
    assert "We can't find that page" in body and "My Jobs" in body


def test_opening_a_post_only_address_explains_and_changes_nothing(client):
    manager = hiring_manager()
    approval = approved_request(company=manager.membership.company, requester=manager)
    client.force_login(manager)
    response = client.get(f"/approvals/{approval.pk}/decide/")
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert "Use the button on the page" in response.content.decode()
    assert not Offer.objects.exists()


def test_a_freelancer_reloading_an_accept_address_gets_the_same_page(client):
    client.force_login(freelancer())
    response = client.get("/proposals/invitations/1/accept/")
    assert response.status_code == 405
    assert "opening it directly changed nothing" in response.content.decode()


def test_server_error_page_renders_without_a_request_context():
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    page = response.content.decode()
    assert "Something went wrong on our side" in page
    # An error after a commit (or during its side effects) leaves the change saved: say so.
    assert "What you submitted may have been saved: check the page before trying again." in page
    assert "nothing you submitted was saved" not in page
