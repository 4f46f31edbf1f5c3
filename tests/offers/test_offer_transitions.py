"""Modify, withdraw, accept, decline: each transition of the offer and what it does to the approval."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from approvals.models import ApprovalTransition
from offers.models import Offer
from offers.services import (
    OfferDifferencesError,
    OfferError,
    offer_accept,
    offer_decline,
    offer_modify,
    offer_withdraw,
)
from tests.factories import freelancer, hiring_manager, sent_offer
from tests.offers.helpers import lapse, modify_post, offer_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def offer(manager, approval):
    return sent_offer(sent_by=manager, approval_request=approval)


def _state(obj):
    obj.refresh_from_db()
    return obj.state


def _terms(offer, **overrides):
    terms = {name: getattr(offer, name) for name in
             ["title", "contract_type", "amount", "currency", "weekly_hour_limit", "start_date", "message"]}
    return {**terms, **overrides}


# Modify.

def test_modify_creates_a_revision_and_the_approval_stays_consumed_on_the_offer(offer, manager, approval):
    later = offer.start_date + datetime.timedelta(days=3)
    offer_modify(offer_id=offer.pk, modified_by=manager, confirmed_differences=[
        f"Start date: approved {approval.start_date:%b %d, %Y}, offer {later:%b %d, %Y}",
    ], **_terms(offer, start_date=later, message="New start"))

    offer.refresh_from_db()
    assert offer.revision == 2 and offer.start_date == later and offer.message == "New start"
    assert list(offer.revisions.values_list("number", flat=True)) == [2, 1]
    assert _state(approval) == "consumed"
    assert approval.offers.get() == offer and Offer.objects.count() == 1


def test_modify_of_wording_only_needs_no_confirmation(offer, manager):
    offer_modify(offer_id=offer.pk, modified_by=manager, **_terms(offer, title="Lead Django developer"))
    offer.refresh_from_db()
    assert offer.revision == 2 and offer.title == "Lead Django developer"


def test_modify_away_from_the_approved_terms_warns_first(client, offer, manager):
    client.force_login(manager)
    url = reverse("offers:offer_modify", args=[offer.pk])
    response = client.post(url, modify_post(offer, amount="99.00"))
    assert response.status_code == 200
    assert "Amount: approved 85.00 USD, offer 99.00 USD" in response.content.decode()
    offer.refresh_from_db()
    assert offer.revision == 1 and offer.amount == Decimal("85.00")

    response = client.post(url, {**modify_post(offer, amount="99.00"), "send_anyway": "1",
                                 "confirmed_differences": response.context["differences"]})
    assert response.status_code == 302
    offer.refresh_from_db()
    assert offer.revision == 2 and offer.amount == Decimal("99.00")


def test_modify_with_no_change_is_refused(offer, manager):
    with pytest.raises(OfferError, match="Nothing changed"):
        offer_modify(offer_id=offer.pk, modified_by=manager, **_terms(offer))
    offer.refresh_from_db()
    assert offer.revision == 1


def test_freelancer_sees_latest_terms_and_change_history(client, offer, manager, talent):
    offer_modify(offer_id=offer.pk, modified_by=manager, **_terms(offer, title="Lead Django developer"))
    client.force_login(talent)
    html = client.get(reverse("offers:offer_detail", args=[offer.pk])).content.decode()
    assert "<h1>Lead Django developer" in html
    assert "Revision 2</strong> <span class=\"meta\">(current terms)" in html and "Revision 1" in html
    assert "Senior Django developer" in html  # the first title, in the history
    assert "Approval" not in html  # the client's internal approval is not shown to the freelancer


def test_modify_a_withdrawn_offer_is_refused(offer, manager):
    offer_withdraw(offer_id=offer.pk, withdrawn_by=manager)
    with pytest.raises(OfferError, match="already withdrawn: it can no longer be modified"):
        offer_modify(offer_id=offer.pk, modified_by=manager, **_terms(offer, title="Changed"))


def test_modify_differences_are_checked_by_the_service(offer, manager):
    with pytest.raises(OfferDifferencesError):
        offer_modify(offer_id=offer.pk, modified_by=manager, **_terms(offer, currency="EUR"))


# Withdraw.

def test_withdraw_releases_the_approval_for_another_offer(offer, manager, approval):
    offer_withdraw(offer_id=offer.pk, withdrawn_by=manager)
    assert _state(offer) == "withdrawn" and offer.withdrawn_at is not None
    assert _state(approval) == "approved" and approval.consumed_at is None
    log = ApprovalTransition.objects.filter(request=approval).last()
    assert (log.name, log.source_state, log.target_state) == ("release", "consumed", "approved")
    assert log.actor == manager

    second = sent_offer(sent_by=manager, approval_request=approval, title="Second try")
    assert _state(approval) == "consumed" and second.approval_request == approval


def test_withdraw_after_the_validity_is_over_expires_the_approval(offer, manager, approval):
    lapse(approval)
    offer_withdraw(offer_id=offer.pk, withdrawn_by=manager)
    assert _state(offer) == "withdrawn"
    assert _state(approval) == "expired" and approval.expired_at is not None


def test_withdraw_twice_is_refused_and_changes_nothing(client, offer, manager, approval):
    client.force_login(manager)
    url = reverse("offers:offer_withdraw", args=[offer.pk])
    client.post(url, {"confirm": "yes"})
    withdrawn_at = Offer.objects.get().withdrawn_at
    transitions = ApprovalTransition.objects.count()

    response = client.post(url, {"confirm": "yes"}, follow=True)
    assert "This offer was already withdrawn: it can no longer be withdrawn." in response.content.decode()
    assert Offer.objects.get().withdrawn_at == withdrawn_at
    assert ApprovalTransition.objects.count() == transitions and _state(approval) == "approved"


def test_withdraw_page_says_the_approval_is_free_again(client, offer, manager):
    client.force_login(manager)
    response = client.post(reverse("offers:offer_withdraw", args=[offer.pk]), {"confirm": "yes"}, follow=True)
    assert "Offer withdrawn. Its approval is available again for another offer." in response.content.decode()


def test_withdraw_rejects_get(client, offer, manager):
    client.force_login(manager)
    assert client.get(reverse("offers:offer_withdraw", args=[offer.pk])).status_code == 405
    assert _state(offer) == "sent"


# Accept and decline.

def test_accept_makes_a_contract_and_the_approval_stays_used(client, offer, talent, approval):
    client.force_login(talent)
    response = client.post(reverse("offers:offer_accept", args=[offer.pk]), follow=True)
    assert "You accepted the offer" in response.content.decode()
    assert _state(offer) == "accepted" and offer.responded_at is not None
    assert _state(approval) == "consumed"


def test_accepted_offer_cannot_be_withdrawn(offer, manager, talent, approval):
    offer_accept(offer_id=offer.pk, freelancer=talent)
    with pytest.raises(OfferError, match="already accepted: it can no longer be withdrawn"):
        offer_withdraw(offer_id=offer.pk, withdrawn_by=manager)
    assert _state(approval) == "consumed"


def test_accepting_a_withdrawn_offer_is_refused(client, offer, manager, talent, approval):
    offer_withdraw(offer_id=offer.pk, withdrawn_by=manager)
    client.force_login(talent)
    response = client.post(reverse("offers:offer_accept", args=[offer.pk]), follow=True)
    assert "This offer was already withdrawn: it can no longer be accepted." in response.content.decode()
    assert _state(offer) == "withdrawn" and offer.responded_at is None
    assert _state(approval) == "approved"


def test_decline_with_a_reason_releases_the_approval(client, offer, talent, approval):
    client.force_login(talent)
    response = client.post(
        reverse("offers:offer_decline", args=[offer.pk]), {"reason": "Booked until May", "confirm": "yes"}
    )
    assert response.status_code == 302
    assert _state(offer) == "declined" and offer.decline_reason == "Booked until May"
    assert _state(approval) == "approved"
    log = ApprovalTransition.objects.filter(request=approval).last()
    assert log.actor == talent and "Booked until May" in log.comment


def test_decline_after_the_validity_is_over_expires_the_approval(offer, talent, approval):
    lapse(approval)
    offer_decline(offer_id=offer.pk, freelancer=talent, reason="No thanks")
    assert _state(approval) == "expired"


def test_decline_needs_a_reason(client, offer, talent, approval):
    client.force_login(talent)
    response = client.post(reverse("offers:offer_decline", args=[offer.pk]), {"reason": "   "})
    assert response.status_code == 200
    assert "Tell the client why you decline the offer." in response.content.decode()
    assert _state(offer) == "sent" and _state(approval) == "consumed"


def test_decline_twice_is_refused_and_changes_nothing(client, offer, talent, approval):
    offer_decline(offer_id=offer.pk, freelancer=talent, reason="First reason")
    transitions = ApprovalTransition.objects.count()
    client.force_login(talent)
    response = client.post(reverse("offers:offer_decline", args=[offer.pk]), {"reason": "Again"}, follow=True)
    assert "This offer was already declined: it can no longer be declined." in response.content.decode()
    offer.refresh_from_db()
    assert offer.decline_reason == "First reason" and ApprovalTransition.objects.count() == transitions


def test_accepting_a_declined_offer_is_refused(offer, talent):
    offer_decline(offer_id=offer.pk, freelancer=talent, reason="No")
    with pytest.raises(OfferError, match="already declined: it can no longer be accepted"):
        offer_accept(offer_id=offer.pk, freelancer=talent)


def test_offer_without_approval_withdraws_and_declines_cleanly(open_manager, talent):
    first = sent_offer(sent_by=open_manager, freelancer=talent)
    offer_withdraw(offer_id=first.pk, withdrawn_by=open_manager)
    second = sent_offer(sent_by=open_manager, freelancer=talent)
    offer_decline(offer_id=second.pk, freelancer=talent, reason="Busy")
    assert _state(first) == "withdrawn" and _state(second) == "declined"


def test_byo_offer_by_email_is_answered_by_the_account_that_joins_later(client, open_company, open_manager):
    from tests.factories import JobFactory

    job = JobFactory(company=open_company, posted_by=open_manager)
    client.force_login(open_manager)
    client.post(reverse("offers:offer_create"), offer_post(
        offer_type="byo", job=job.pk, freelancer_name="Bob Outside", freelancer_email="bob@outside.test",
    ))
    offer = Offer.objects.get()
    bob = freelancer(user__email="bob@outside.test", user__full_name="Bob Outside")
    client.force_login(bob)
    assert client.get(reverse("offers:freelancer_offers")).context["page"].object_list[0] == offer
    client.post(reverse("offers:offer_accept", args=[offer.pk]))
    offer.refresh_from_db()
    assert offer.state == "accepted" and offer.freelancer == bob


def test_only_the_sender_may_withdraw(offer, company):
    colleague = hiring_manager(company)
    with pytest.raises(OfferError, match="Only the hiring manager who sent this offer"):
        offer_withdraw(offer_id=offer.pk, withdrawn_by=colleague)
    assert _state(offer) == "sent"


def test_modify_page_says_nothing_changed_on_the_form(client, offer, manager):
    client.force_login(manager)
    response = client.post(reverse("offers:offer_modify", args=[offer.pk]), modify_post(offer))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("Nothing changed: edit the terms, dates or message before saving.") == 1
    assert '<details class="card" id="modify" open>' in html


def test_modifying_a_withdrawn_offer_through_the_page_is_refused(client, offer, manager):
    offer_withdraw(offer_id=offer.pk, withdrawn_by=manager)
    client.force_login(manager)
    response = client.post(reverse("offers:offer_modify", args=[offer.pk]), modify_post(offer, title="New"))
    assert "This offer was already withdrawn: it can no longer be modified." in response.content.decode()
    offer.refresh_from_db()
    assert offer.title != "New" and offer.revision == 1


def test_accept_button_asks_before_making_a_contract(client, offer, talent):
    """One stray click must not sign a contract: the page asks first (app.js data-confirm)."""
    client.force_login(talent)
    html = client.get(reverse("offers:offer_detail", args=[offer.pk])).content.decode()
    assert f'data-confirm="Accept this offer from {offer.company.name}? It becomes a contract."' in html
