"""A name that several freelancers share, on Decline and refer, lists them to choose from and
keeps the reason, details and note typed so far, without JavaScript."""

import pytest
from django.urls import reverse

from jobs.models import Invite
from referrals.models import Referral
from tests.factories import beta_freelancer, client_job, direct_invite, freelancer

TYPED = {"reason": "other", "details": "Booked until May.", "note": "Grace knows compilers."}


@pytest.fixture
def setting(db):
    ada = beta_freelancer(user__full_name="Ada Lovelace", user__email="ada@example.test")
    grace = freelancer(user__full_name="Grace Hopper", user__email="grace@example.test",
                       title="Compiler engineer", skills="COBOL, Compilers")
    freelancer(user__full_name="Grace Kelly", title="Actor")
    invite = direct_invite(ada, job=client_job(title="Compiler optimisation"))
    return ada, grace, invite


def _assert_typed_kept(page):
    assert '<option value="other" selected>' in page
    assert ">\nBooked until May.</textarea>" in page and ">\nGrace knows compilers.</textarea>" in page


@pytest.mark.django_db
def test_an_ambiguous_name_lists_the_candidates_keeps_the_typed_fields_and_acts_on_nothing(client, setting):
    ada, grace, invite = setting
    client.force_login(ada)
    url = reverse("referrals:refer", args=[invite.pk])

    response = client.post(url, {**TYPED, "freelancer_search": "grace", "freelancer": ""})
    assert response.status_code == 400
    page = response.content.decode()
    _assert_typed_kept(page)
    assert "2 freelancers have “grace” in their name: choose one below." in page
    assert "Grace Hopper · Compiler engineer" in page and "Grace Kelly · Actor" in page
    assert f'name="freelancer_choice" value="{grace.pk}"' in page
    assert 'name="freelancer_search" value="grace"' in page
    invite.refresh_from_db()
    assert invite.state == Invite.State.PENDING and not Referral.objects.exists()

    # Choosing one of them refers, with what was typed.
    response = client.post(
        url, {**TYPED, "freelancer_search": "grace", "freelancer": "", "freelancer_choice": str(grace.pk)}
    )
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert referral.referred == grace and referral.note == "Grace knows compilers."
    invite.refresh_from_db()
    assert invite.decline_reason == "Booked until May."


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_without_javascript_an_ambiguous_name_keeps_the_reason_and_note(
    browser, live_server, setting, password
):
    _, grace, invite = setting
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto("/accounts/login/")
        page.get_by_label("Email").fill("ada@example.test")
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.goto(reverse("referrals:refer", args=[invite.pk]))
        page.get_by_label("Reason for declining").select_option("other")
        page.get_by_label("Details for the client").fill("Booked until May.")
        page.get_by_label("Note to the freelancer").fill("Grace knows compilers.")
        page.get_by_label("Freelancer to refer").fill("grace")
        page.get_by_role("button", name="Decline and refer").click()
        assert "choose one below" in page.content()
        assert page.get_by_label("Reason for declining").input_value() == "other"
        assert page.get_by_label("Details for the client").input_value() == "Booked until May."
        assert page.get_by_label("Note to the freelancer").input_value() == "Grace knows compilers."
        page.get_by_label("Grace Hopper · Compiler engineer").check()
        page.get_by_role("button", name="Decline and refer").click()
        assert "You referred Grace Hopper" in page.content()
    finally:
        context.close()
    assert Referral.objects.get().note == "Grace knows compilers."
