"""Searching for, selecting or changing the freelancer on Decline and refer keeps the reason,
details and note typed so far, without JavaScript."""

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
    invite = direct_invite(ada, job=client_job(title="Compiler optimisation"))
    return ada, grace, invite


def _assert_typed_kept(page):
    assert '<option value="other" selected>' in page
    assert ">\nBooked until May.</textarea>" in page and ">\nGrace knows compilers.</textarea>" in page


@pytest.mark.django_db
def test_search_select_and_change_keep_the_typed_fields_and_act_on_nothing(client, setting):
    ada, grace, invite = setting
    client.force_login(ada)
    url = reverse("referrals:refer", args=[invite.pk])

    page = client.get(url).content.decode()
    assert 'form="refer-form" name="picker" value="search"' in page and 'id="refer-form"' in page

    response = client.post(url, {**TYPED, "q": "compiler", "picker": "search", "freelancer": ""})
    assert response.status_code == 200
    page = response.content.decode()
    _assert_typed_kept(page)
    assert "Grace Hopper" in page and f'name="select" value="{grace.pk}"' in page
    assert "Tell the client" not in page  # no errors for a form still being filled in

    response = client.post(url, {**TYPED, "q": "compiler", "select": str(grace.pk), "freelancer": ""})
    page = response.content.decode()
    _assert_typed_kept(page)
    assert '<strong class="picked-name">Grace Hopper</strong>' in page
    assert f'<input type="hidden" name="freelancer" value="{grace.pk}"' in page

    response = client.post(url, {**TYPED, "q": "compiler", "picker": "change", "freelancer": str(grace.pk)})
    page = response.content.decode()
    _assert_typed_kept(page)
    assert "picked-name" not in page and 'value="compiler"' in page

    invite.refresh_from_db()
    assert invite.state == Invite.State.PENDING and not Referral.objects.exists()

    # And the final submit refers, with what was typed.
    response = client.post(url, {**TYPED, "q": "compiler", "freelancer": str(grace.pk)})
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert referral.referred == grace and referral.note == "Grace knows compilers."
    invite.refresh_from_db()
    assert invite.decline_reason == "Booked until May."


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_without_javascript_the_search_keeps_the_reason_and_note(browser, live_server, setting, password):
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
        page.get_by_label("Search by name, title or skills").fill("compiler")
        page.get_by_role("button", name="Search").click()
        page.get_by_role("button", name="Select Grace Hopper").click()
        assert page.get_by_label("Reason for declining").input_value() == "other"
        assert page.get_by_label("Details for the client").input_value() == "Booked until May."
        assert page.get_by_label("Note to the freelancer").input_value() == "Grace knows compilers."
        page.get_by_role("button", name="Decline and refer Grace Hopper").click()
        assert "You referred Grace Hopper" in page.content()
    finally:
        context.close()
    assert Referral.objects.get().note == "Grace knows compilers."
