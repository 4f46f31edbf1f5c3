import pytest

from accounts.models import FreelancerProfile
from jobs.models import Invite
from tests.factories import beta_freelancer, client_job, direct_invite, freelancer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_beta_freelancer_declines_and_refers_and_the_referred_freelancer_accepts_for_free(
    page, sign_in, password
):
    ada = beta_freelancer(user__full_name="Ada Lovelace", user__email="ada@example.test")
    grace = freelancer(
        user__full_name="Grace Hopper",
        user__email="grace@example.test",
        title="Compiler engineer",
        skills="COBOL, Compilers",
        connects_balance=20,
    )
    job = client_job(title="Compiler optimisation", connects_price=6)
    invite = direct_invite(ada, job=job)

    sign_in("ada@example.test", password)
    page.goto(f"/proposals/invitations/{invite.pk}/")
    page.get_by_role("link", name="Decline and refer").click()
    page.get_by_role("combobox", name="Freelancer to refer").press_sequentially("hopp")
    page.get_by_role("option", name="Grace Hopper").wait_for()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.get_by_label("Reason for declining").select_option("Too busy right now")
    page.get_by_label("Note to the freelancer").fill("Grace is the best compiler person I know.")
    page.get_by_role("button", name="Decline and refer").click()
    page.wait_for_load_state()
    assert "You referred Grace Hopper to “Compiler optimisation” and declined the invite." in page.content()
    assert page.locator("[data-testid=referred-count]").inner_text() == "1"

    page.get_by_role("button", name="Sign out").click()
    sign_in("grace@example.test", password)
    page.goto("/proposals/invitations/")
    assert page.get_by_text("Referred by Ada Lovelace").first.is_visible()
    page.get_by_role("link", name="Compiler optimisation").first.click()
    assert page.get_by_text("Referred by Ada Lovelace").first.is_visible()
    assert page.get_by_text("Grace is the best compiler person I know.").is_visible()
    dialogs = []
    page.once("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.accept()))
    page.get_by_role("button", name="Accept invite").click()
    page.wait_for_load_state()
    assert "Invite accepted" in page.content()
    assert dialogs == ["Accept this invite? It costs no Connects."]

    referred_invite = Invite.objects.get(job=job, freelancer=grace)
    assert referred_invite.source == Invite.Source.REFERRAL and referred_invite.state == Invite.State.ACCEPTED
    assert FreelancerProfile.objects.get(user=grace).connects_balance == 20
    assert Invite.objects.get(pk=invite.pk).state == Invite.State.DECLINED
