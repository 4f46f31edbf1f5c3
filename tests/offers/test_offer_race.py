"""Races settled in PostgreSQL: one approval backs at most one live offer."""


import pytest

from approvals.models import ApprovalRequest, ApprovalTransition
from offers.models import Offer, OfferRevision
from offers.services import APPROVAL_IN_USE_MESSAGE, OfferError, offer_accept, offer_send, offer_withdraw
from tests.concurrency import run_together
from tests.factories import (
    CompanyFactory,
    approved_request,
    approver,
    freelancer,
    hiring_manager,
    offer_terms,
)
from tests.factories import sent_offer as send


@pytest.mark.django_db(transaction=True)
def test_two_offers_sent_at_once_with_one_approval_exactly_one_wins():
    company = CompanyFactory()
    manager = hiring_manager(company)
    approval = approved_request(company=company, requester=manager, approver=approver(company),
                                freelancer=freelancer())
    results = run_together(
        lambda: offer_send(sent_by=manager, **offer_terms(approval, title="First tab")),
        lambda: offer_send(sent_by=manager, **offer_terms(approval, title="Second tab")),
    )

    outcomes = sorted(kind for kind, _ in results)
    assert outcomes == ["error", "ok"]
    error = next(value for kind, value in results if kind == "error")
    assert isinstance(error, OfferError) and str(error) == APPROVAL_IN_USE_MESSAGE
    assert Offer.objects.count() == 1 and OfferRevision.objects.count() == 1
    assert ApprovalRequest.objects.get(pk=approval.pk).state == "consumed"
    assert ApprovalTransition.objects.filter(request=approval, name="consume").count() == 1


@pytest.mark.django_db(transaction=True)
def test_withdraw_and_accept_at_once_end_with_exactly_one_answer():
    company = CompanyFactory()
    manager = hiring_manager(company)
    talent = freelancer()
    approval = approved_request(
        company=company, requester=manager, approver=approver(company), freelancer=talent
    )
    offer = send(sent_by=manager, approval_request=approval)

    results = run_together(
        lambda: offer_withdraw(offer_id=offer.pk, withdrawn_by=manager),
        lambda: offer_accept(offer_id=offer.pk, freelancer=talent),
    )

    assert sorted(kind for kind, _ in results) == ["error", "ok"]
    offer.refresh_from_db()
    approval.refresh_from_db()
    if offer.state == "withdrawn":
        assert approval.state == "approved"
    else:
        assert offer.state == "accepted" and approval.state == "consumed"


@pytest.mark.django_db
def test_the_constraint_turns_a_second_live_offer_into_a_clear_error_and_saves_nothing(
    manager, approval, talent
):
    """Should the row lock ever be bypassed, the partial unique index still refuses."""
    squatter = Offer.objects.create(
        company=approval.company, created_by=manager, freelancer=talent, approval_request=approval,
        title="Written around the service", amount=approval.amount, start_date=approval.start_date,
    )
    with pytest.raises(OfferError, match="already used by another offer"):
        offer_send(sent_by=manager, **offer_terms(approval))
    approval.refresh_from_db()
    assert approval.state == "approved"  # the consume was rolled back with the insert
    assert list(Offer.objects.all()) == [squatter] and not OfferRevision.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_withdrawals_at_once_release_the_approval_exactly_once():
    company = CompanyFactory()
    manager = hiring_manager(company)
    approval = approved_request(
        company=company, requester=manager, approver=approver(company), freelancer=freelancer()
    )
    offer = send(sent_by=manager, approval_request=approval)

    results = run_together(
        lambda: offer_withdraw(offer_id=offer.pk, withdrawn_by=manager),
        lambda: offer_withdraw(offer_id=offer.pk, withdrawn_by=manager),
    )

    assert sorted(kind for kind, _ in results) == ["error", "ok"]
    error = next(value for kind, value in results if kind == "error")
    assert str(error) == "This offer was already withdrawn: it can no longer be withdrawn."
    assert ApprovalRequest.objects.get(pk=approval.pk).state == "approved"
    assert ApprovalTransition.objects.filter(request=approval, name="release").count() == 1


@pytest.mark.django_db(transaction=True)
def test_decline_and_withdraw_at_once_release_the_approval_exactly_once():
    """Both free the approval: the offer's row lock lets only one of them do it."""
    from offers.services import offer_decline

    company = CompanyFactory()
    manager = hiring_manager(company)
    talent = freelancer()
    approval = approved_request(
        company=company, requester=manager, approver=approver(company), freelancer=talent
    )
    offer = send(sent_by=manager, approval_request=approval)

    results = run_together(
        lambda: offer_withdraw(offer_id=offer.pk, withdrawn_by=manager),
        lambda: offer_decline(offer_id=offer.pk, freelancer=talent, reason="Booked"),
    )

    assert sorted(kind for kind, _ in results) == ["error", "ok"]
    error = next(value for kind, value in results if kind == "error")
    assert "This offer was already" in str(error)
    offer.refresh_from_db()
    assert offer.state in ("withdrawn", "declined")
    assert ApprovalRequest.objects.get(pk=approval.pk).state == "approved"
    assert ApprovalTransition.objects.filter(request=approval, name="release").count() == 1
