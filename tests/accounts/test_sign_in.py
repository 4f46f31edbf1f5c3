import pytest

from tests.factories import freelancer, hiring_manager

pytestmark = pytest.mark.django_db


def test_it_signs_in_with_email_and_shows_my_jobs(client, password):
    manager = hiring_manager(email="boss@acme.test")
    response = client.post(
        "/accounts/login/", {"username": "BOSS@acme.test", "password": password}, follow=True
    )
    assert response.wsgi_request.user == manager
    body = response.content.decode()
    assert "My Jobs" in body and "Approvals" in body and "Offers" in body
    assert "Find Work" not in body


def test_freelancer_sees_find_work_and_my_proposals(client, password):
    talent = freelancer()
    client.force_login(talent)
    body = client.get("/find-work/").content.decode()
    assert "Find Work" in body and "My Proposals" in body and "Invitations" in body
    assert "My Jobs" not in body


def test_wrong_password_gets_a_clear_message_and_keeps_the_email(client):
    hiring_manager(email="boss@acme.test")
    response = client.post("/accounts/login/", {"username": "boss@acme.test", "password": "nope"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "That email and password do not match an account" in body
    assert 'value="boss@acme.test"' in body
    assert "_auth_user_id" not in client.session


def test_it_signs_out_on_post(client):
    client.force_login(hiring_manager())
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_anonymous_user_is_sent_to_sign_in(client):
    response = client.get("/approvals/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_client_pages_answer_404_to_freelancers(client):
    client.force_login(freelancer())
    assert client.get("/jobs/").status_code == 404
    assert client.get("/approvals/").status_code == 404


def test_home_sends_each_person_to_their_main_page(client):
    from tests.factories import CompanyFactory

    client.force_login(hiring_manager())
    assert client.get("/").url == "/approvals/"
    client.force_login(hiring_manager(CompanyFactory(is_enterprise=False, approvals_enabled=False)))
    assert client.get("/").url == "/offers/"
    client.force_login(freelancer())
    assert client.get("/").url == "/proposals/invitations/"
