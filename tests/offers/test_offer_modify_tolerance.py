"""Re-approval beyond the policy's tolerance: a modification within it keeps the approval (at the
edge too); past it, saving needs another approval that covers the new terms, which is used while
the old one stays with the old revision; the approvers of the used approval are told in-app."""

import datetime
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from accounts.models import Notification
from approvals.models import ApprovalPolicy
from offers.services import OfferError, OfferNeedsApprovalError, offer_modify
from tests.factories import approved_request, sent_offer
from tests.offers.helpers import modify_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def policy(company):
    return ApprovalPolicy.objects.create(company=company, modify_max_increase_percent=Decimal("10"))


@pytest.fixture
def offer(manager, approval):
    """Ada's offer at the approved 85.00 USD an hour, 30 hours a week."""
    return sent_offer(sent_by=manager, approval_request=approval)


def _terms(offer, **overrides):
    names = ["title", "contract_type", "amount", "currency", "weekly_hour_limit", "start_date", "message"]
    return {**{name: getattr(offer, name) for name in names}, **overrides}


def _differences(approval, **terms):
    """The differences from the approval the manager confirms ("Save anyway")."""
    from offers.services import offer_approval_differences

    offer_terms = {"contract_type": "hourly", "amount": approval.amount, "currency": "USD",
                   "weekly_hour_limit": 30, "start_date": approval.start_date, **terms}
    return offer_approval_differences(
        approval_request=approval, offer_type="direct", freelancer=approval.freelancer, **offer_terms
    )


def test_an_increase_exactly_at_the_edge_keeps_the_approval(policy, offer, manager, approval):
    edge = Decimal("93.50")  # 85.00 + 10 %
    offer_modify(offer_id=offer.pk, modified_by=manager,
                 confirmed_differences=_differences(approval, amount=edge), **_terms(offer, amount=edge))
    offer.refresh_from_db()
    assert (offer.revision, offer.amount, offer.approval_request) == (2, edge, approval)


def test_an_increase_past_the_edge_needs_a_new_approval_and_changes_nothing(
    policy, offer, manager, approval
):
    with pytest.raises(OfferNeedsApprovalError) as refused:
        offer_modify(offer_id=offer.pk, modified_by=manager, **_terms(offer, amount=Decimal("93.51")))
    assert refused.value.reasons == [
        "The amount rises to 93.51 USD, more than 10% above the approved 85.00 USD "
        "(up to 93.50 USD keeps the approval)."
    ]
    offer.refresh_from_db()
    assert (offer.revision, offer.amount, offer.approval_request) == (1, Decimal("85.00"), approval)


def test_without_a_percentage_any_increase_carries_over(company, offer, manager, approval):
    ApprovalPolicy.objects.create(company=company)  # the default: empty
    amount = Decimal("500.00")
    offer_modify(offer_id=offer.pk, modified_by=manager,
                 confirmed_differences=_differences(approval, amount=amount), **_terms(offer, amount=amount))
    offer.refresh_from_db()
    assert offer.amount == amount and offer.approval_request == approval


def test_past_the_edge_a_covering_approval_is_used_and_the_old_one_stays_with_the_old_revision(
    policy, company, offer, manager, boss, talent, approval
):
    covering = approved_request(company=company, requester=manager, approver=boss, freelancer=talent,
                                amount=Decimal("120.00"), weekly_hour_limit=40)

    confirmed = _differences(covering, amount=Decimal("110.00"), weekly_hour_limit=30)
    offer_modify(offer_id=offer.pk, modified_by=manager, new_approval_request_id=covering.pk,
                 confirmed_differences=confirmed, **_terms(offer, amount=Decimal("110.00")))

    offer.refresh_from_db()
    covering.refresh_from_db()
    approval.refresh_from_db()
    assert offer.approval_request == covering and offer.revision == 2
    assert (covering.state, approval.state) == ("consumed", "consumed")
    revisions = {revision.number: revision.approval_request_id for revision in offer.revisions.all()}
    assert revisions == {1: approval.pk, 2: covering.pk}


def test_an_approval_that_does_not_cover_the_new_terms_is_refused(
    policy, company, offer, manager, boss, talent, approval
):
    too_low = approved_request(company=company, requester=manager, approver=boss, freelancer=talent,
                               amount=Decimal("100.00"))
    with pytest.raises(OfferError, match="does not cover the new terms"):
        offer_modify(offer_id=offer.pk, modified_by=manager, new_approval_request_id=too_low.pk,
                     **_terms(offer, amount=Decimal("110.00")))
    too_low.refresh_from_db()
    assert too_low.state == "approved"
    offer.refresh_from_db()
    assert offer.approval_request == approval


def test_changing_the_contract_type_needs_a_new_approval_when_the_policy_says_so(company, offer, manager):
    ApprovalPolicy.objects.create(company=company, modify_contract_type_needs_approval=True)
    with pytest.raises(OfferNeedsApprovalError) as refused:
        offer_modify(offer_id=offer.pk, modified_by=manager,
                     **_terms(offer, contract_type="fixed", amount=Decimal("80.00"), weekly_hour_limit=None))
    assert refused.value.reasons == [
        "The contract type changes to fixed price: your company's policy needs a new approval for that."
    ]


def test_changing_the_contract_type_keeps_the_approval_when_the_policy_allows_it(
    company, offer, manager, approval
):
    ApprovalPolicy.objects.create(company=company, modify_weekly_limit_needs_approval=False)
    terms = _terms(offer, contract_type="fixed", amount=Decimal("80.00"), weekly_hour_limit=None)
    offer_modify(offer_id=offer.pk, modified_by=manager, **terms, confirmed_differences=_differences(
        approval, contract_type="fixed", amount=Decimal("80.00"), weekly_hour_limit=None))
    offer.refresh_from_db()
    assert offer.contract_type == "fixed" and offer.approval_request == approval


def test_changing_the_weekly_limit_needs_a_new_approval_when_the_policy_says_so(company, offer, manager):
    ApprovalPolicy.objects.create(company=company, modify_weekly_limit_needs_approval=True)
    with pytest.raises(OfferNeedsApprovalError, match="The weekly limit changes to 20 hours"):
        offer_modify(offer_id=offer.pk, modified_by=manager, **_terms(offer, weekly_hour_limit=20))


def test_the_approvers_of_the_used_approval_are_told_in_app_when_its_offer_is_modified(
    offer, manager, boss, mailoutbox
):
    offer_modify(offer_id=offer.pk, modified_by=manager, **_terms(offer, message="See you Monday"))

    [notification] = Notification.objects.filter(kind=Notification.Kind.APPROVAL_OFFER_MODIFIED)
    assert notification.recipient == boss
    assert notification.title == (
        f"Maria Manager changed the offer “{offer.title}” that uses your approval of "
        f"“{offer.approval_request.title}” (revision 2)"
    )
    assert notification.link == reverse("offers:offer_detail", args=[offer.pk])
    assert notification.email_state == Notification.EmailState.SKIPPED  # in-app only


def test_the_form_says_why_offers_covering_approvals_and_a_prefilled_request_link(
    client, policy, company, offer, manager, boss, talent
):
    covering = approved_request(company=company, requester=manager, approver=boss, freelancer=talent,
                                title="Bigger budget", amount=Decimal("120.00"), weekly_hour_limit=40)
    approved_request(company=company, requester=manager, approver=boss, freelancer=talent,
                     title="Too small", amount=Decimal("90.00"))
    client.force_login(manager)
    url = reverse("offers:offer_modify", args=[offer.pk])

    response = client.post(url, modify_post(offer, amount="110.00", message="More hours"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "These changes need a new approval" in page
    assert "more than 10% above the approved 85.00 USD" in page
    assert "Bigger budget" in page and "Too small" not in page
    assert "More hours</textarea>" in page  # nothing typed is lost
    link = urlsplit(response.context["request_approval_url"])
    query = parse_qs(link.query)
    assert link.path == reverse("approvals:create")
    assert (query["amount"], query["freelancer"]) == (["110.00"], [str(talent.pk)])
    assert query["contract_type"] == ["hourly"]
    back = parse_qs(urlsplit(query["next"][0]).query)
    assert back["modify-amount"] == ["110.00"] and back["modify-message"] == ["More hours"]
    offer.refresh_from_db()
    assert offer.revision == 1

    start = offer.start_date
    response = client.post(url, {
        **modify_post(offer, amount="110.00", message="More hours"), "new_approval_request": covering.pk,
    })
    # The covering approval allows up to 120.00 and 40 hours a week: those differences are confirmed.
    assert response.context["differences"] == [
        "Amount: approved 120.00 USD, offer 110.00 USD", "Weekly limit: approved 40 h/week, offer 30 h/week",
    ]
    assert f'<option value="{covering.pk}" selected>' in response.content.decode()
    response = client.post(url, {
        **modify_post(offer, amount="110.00", message="More hours"), "new_approval_request": covering.pk,
        "send_anyway": "1", "confirmed_differences": response.context["differences"],
    })
    assert response.status_code == 302
    offer.refresh_from_db()
    assert (offer.revision, offer.amount, offer.approval_request, offer.start_date) == (
        2, Decimal("110.00"), covering, start
    )
    page = client.get(reverse("offers:offer_detail", args=[offer.pk])).content.decode()
    first = offer.revisions.get(number=1).approval_request_id
    assert f"request #{covering.pk}" in page and f"request #{first}" in page


def test_coming_back_from_request_approval_reopens_the_modification(client, offer, manager):
    client.force_login(manager)
    later = (offer.start_date + datetime.timedelta(days=2)).isoformat()
    response = client.get(reverse("offers:offer_detail", args=[offer.pk]),
                          {"modify-amount": "110.00", "modify-start_date": later, "approval_request": "7"})
    page = response.content.decode()
    assert 'id="modify" open' in page
    assert 'value="110.00"' in page and f'value="{later}"' in page
