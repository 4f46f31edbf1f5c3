"""Sending an offer: it uses the manager's approved request (approved → consumed) in the same
transaction, or needs none when the company has approvals off."""

from decimal import Decimal
from urllib.parse import parse_qs, urlparse

import pytest
from django.urls import reverse
from django.utils import timezone

from approvals.models import ApprovalTransition
from offers.models import Offer, OfferRevision
from offers.services import OfferDifferencesError, OfferError, offer_send
from tests.factories import JobFactory, approved_request, freelancer, hiring_manager, offer_terms
from tests.offers.helpers import lapse, offer_post

pytestmark = pytest.mark.django_db
NEW = reverse("offers:offer_create")


def test_sending_consumes_the_approval_and_creates_revision_one(manager, approval, talent):
    offer = offer_send(sent_by=manager, **offer_terms(approval))

    approval.refresh_from_db()
    assert approval.state == "consumed" and approval.consumed_at is not None
    assert offer.approval_request == approval and offer.state == "sent" and offer.revision == 1
    assert offer.freelancer == talent and offer.company == approval.company
    revision = offer.revisions.get()
    assert (revision.number, revision.amount, revision.created_by) == (1, approval.amount, manager)
    log = ApprovalTransition.objects.get(request=approval, name="consume")
    assert (log.source_state, log.target_state, log.actor) == ("approved", "consumed", manager)


def test_manager_sends_offer_through_the_form(client, manager, approval, talent):
    client.force_login(manager)
    response = client.post(NEW, offer_post(freelancer=talent, approval=approval))

    offer = Offer.objects.get()
    assert response.status_code == 302 and response.url == reverse("offers:offer_detail", args=[offer.pk])
    approval.refresh_from_db()
    assert approval.state == "consumed"
    assert offer.approval_request_id == approval.pk and offer.message == "Welcome aboard."


def test_an_approval_already_used_is_refused_and_nothing_is_saved(manager, approval):
    offer_send(sent_by=manager, **offer_terms(approval))
    with pytest.raises(OfferError, match="already used by another offer"):
        offer_send(sent_by=manager, **offer_terms(approval, title="Second offer"))
    assert Offer.objects.count() == 1 and OfferRevision.objects.count() == 1


def test_constraint_stops_a_second_live_offer_even_without_the_lock(manager, approval, talent):
    """The partial unique index holds in the database, not only in the service."""
    from django.db import IntegrityError, transaction

    offer_send(sent_by=manager, **offer_terms(approval))
    with pytest.raises(IntegrityError), transaction.atomic():
        Offer.objects.create(
            company=approval.company, created_by=manager, freelancer=talent, approval_request=approval,
            title="Sneaky", amount=Decimal("1.00"), start_date=timezone.localdate(),
        )


def test_another_managers_request_cannot_be_used(company, manager, boss, talent):
    colleague = hiring_manager(company)
    theirs = approved_request(company=company, requester=colleague, approver=boss, freelancer=talent)
    with pytest.raises(OfferError, match="not one of yours"):
        offer_send(sent_by=manager, **offer_terms(theirs))
    theirs.refresh_from_db()
    assert theirs.state == "approved" and not Offer.objects.exists()


def test_pending_and_expired_requests_cannot_back_an_offer(company, manager, boss, talent):
    from tests.factories import ApprovalRequestFactory

    pending = ApprovalRequestFactory(company=company, requester=manager, approver=boss, freelancer=talent)
    with pytest.raises(OfferError, match="pending, not approved"):
        offer_send(sent_by=manager, **offer_terms(pending))
    lapsed = approved_request(company=company, requester=manager, approver=boss, freelancer=talent)
    lapse(lapsed)
    with pytest.raises(OfferError, match="expired"):
        offer_send(sent_by=manager, **offer_terms(lapsed))
    assert not Offer.objects.exists()


def test_an_approval_is_required_when_the_company_uses_approvals(manager, talent):
    with pytest.raises(OfferError, match="requires an approved request"):
        offer_send(sent_by=manager, **offer_terms(None, freelancer=talent))
    assert not Offer.objects.exists()


def test_company_without_approvals_sends_without_a_request(client, open_manager, talent):
    client.force_login(open_manager)
    page = client.get(NEW)
    assert page.status_code == 200
    assert "Approved request" not in page.content.decode() and "Request approval" not in page.content.decode()

    response = client.post(NEW, offer_post(freelancer=talent))
    offer = Offer.objects.get()
    assert response.status_code == 302
    assert offer.approval_request is None and offer.company == open_manager.membership.company


def test_approval_drop_down_lists_only_this_managers_usable_requests(client, company, manager, boss, talent):
    usable = approved_request(company=company, requester=manager, approver=boss, freelancer=talent,
                              title="Usable one")
    used = approved_request(company=company, requester=manager, approver=boss, freelancer=talent,
                            title="Used one")
    offer_send(sent_by=manager, **offer_terms(used))
    lapsed = approved_request(company=company, requester=manager, approver=boss, freelancer=talent,
                              title="Lapsed one")
    lapse(lapsed)
    from tests.factories import ApprovalRequestFactory

    ApprovalRequestFactory(company=company, requester=manager, approver=boss, title="Pending one")
    approved_request(company=company, requester=hiring_manager(company), approver=boss, title="Colleague's")
    approved_request(title="Other company's")

    client.force_login(manager)
    html = client.get(NEW).content.decode()
    assert "Usable one — Ada Lovelace — 85.00 USD/h — approved by Alan Approver — valid until" in html
    for hidden in ["Used one", "Lapsed one", "Pending one", "Colleague&#x27;s", "Other company&#x27;s"]:
        assert hidden not in html
    assert '<option value="new">Request approval…</option>' in html
    assert usable.title in html


def test_differences_from_the_approval_warn_before_sending(client, manager, approval, talent):
    other = freelancer(user__full_name="Grace Hopper")
    client.force_login(manager)
    data = offer_post(freelancer=other, approval=approval, amount="95.00", currency="EUR")
    response = client.post(NEW, data)

    html = response.content.decode()
    assert response.status_code == 200 and "This offer differs from what was approved" in html
    assert "Freelancer: approved Ada Lovelace, offer Grace Hopper" in html
    assert "Amount: approved 85.00 USD, offer 95.00 EUR" in html
    assert "Currency: approved USD, offer EUR" in html
    assert 'value="95.00"' in html  # what the manager typed is kept
    assert not Offer.objects.exists()
    approval.refresh_from_db()
    assert approval.state == "approved"

    confirmed = {**data, "send_anyway": "1",
                 "confirmed_differences": response.context["differences"]}
    response = client.post(NEW, confirmed)
    assert response.status_code == 302
    offer = Offer.objects.get()
    assert offer.freelancer == other and offer.amount == Decimal("95.00") and offer.currency == "EUR"


def test_confirming_old_differences_does_not_cover_new_ones(manager, approval):
    with pytest.raises(OfferDifferencesError) as error:
        offer_send(sent_by=manager, **offer_terms(approval, amount=Decimal("90.00")))
    seen = error.value.differences
    with pytest.raises(OfferDifferencesError):
        offer_send(sent_by=manager, confirmed_differences=seen,
                   **offer_terms(approval, amount=Decimal("90.00"), weekly_hour_limit=10))
    assert not Offer.objects.exists()


def test_request_approval_redirects_to_the_prefilled_request_form(client, company, manager, talent):
    job = JobFactory(company=company, posted_by=manager)
    client.force_login(manager)
    data = offer_post(freelancer=talent, job=job.pk, amount="90.00", message="Hi Ada")
    response = client.post(NEW, {**data, "action": "request_approval"})

    assert response.status_code == 302
    url = urlparse(response.url)
    assert url.path == "/approvals/new/"
    params = {key: values[0] for key, values in parse_qs(url.query, keep_blank_values=True).items()}
    assert params["title"] == "Senior Django developer" and params["job"] == str(job.pk)
    assert params["freelancer"] == str(talent.pk) and params["amount"] == "90.00"
    assert params["offer_type"] == "direct" and params["contract_type"] == "hourly"
    assert params["currency"] == "USD" and params["weekly_hour_limit"] == "30"
    assert params["start_date"] == data["start_date"] and params["justification"] == ""
    assert urlparse(params["next"]).path == NEW
    carried = client.get(params["next"]).context["form"].initial  # what was typed waits in the session
    assert carried["message"] == "Hi Ada" and carried["amount"] == "90.00" and carried["job"] == str(job.pk)
    assert not Offer.objects.exists()


def test_request_approval_with_a_long_message_stays_within_a_servers_request_line(
    client, manager, boss, talent
):
    """gunicorn refuses request lines over 4094 bytes: a long message carried in the URL
    (encoded twice inside ``next``) lost the manager's whole offer."""
    message = "Dear Ada, here is what the work involves: " + "billing & invoicing, taxes; " * 150
    client.force_login(manager)
    typed = offer_post(freelancer=talent, message=message)
    to_form = client.post(NEW, {**typed, "action": "request_approval"})
    assert len(to_form.url) < 2000
    params = {key: values[0] for key, values in parse_qs(urlparse(to_form.url).query).items()}
    created = client.post(reverse("approvals:create"), {
        **params, "approver": boss.pk, "justification": "Backfill", "weekly_hour_limit": "30",
    })
    assert created.status_code == 302 and len(created.url) < 2000
    assert client.get(created.url).context["form"].initial["message"] == message.strip()


def test_two_drafts_in_two_tabs_each_come_back_with_their_own_fields(client, manager, talent):
    client.force_login(manager)
    first = client.post(NEW, {**offer_post(freelancer=talent, title="First"), "action": "request_approval"})
    second = client.post(NEW, {**offer_post(freelancer=talent, title="Second"), "action": "request_approval"})

    def back(response):
        return parse_qs(urlparse(response.url).query)["next"][0]

    assert client.get(back(first)).context["form"].initial["title"] == "First"
    assert client.get(back(second)).context["form"].initial["title"] == "Second"
    assert "title" not in client.get(NEW, {"draft": "made-up"}).context["form"].initial


def test_request_approval_choice_in_the_drop_down_works_without_javascript(client, manager, talent):
    client.force_login(manager)
    response = client.post(NEW, offer_post(freelancer=talent, approval_request="new"))
    assert response.status_code == 302 and response.url.startswith("/approvals/new/?")


def test_coming_back_restores_the_offer_and_shows_the_pending_request(client, company, manager, boss, talent):
    from tests.factories import ApprovalRequestFactory

    pending = ApprovalRequestFactory(company=company, requester=manager, approver=boss, freelancer=talent)
    client.force_login(manager)
    response = client.get(NEW, {"title": "Back again", "freelancer": talent.pk, "amount": "77.00",
                                "message": "Typed before", "approval_request": pending.pk})
    html = response.content.decode()
    assert "is pending with Alan Approver" in html
    assert 'value="Back again"' in html and 'value="77.00"' in html and "Typed before" in html
    assert f'<input type="hidden" name="freelancer" value="{talent.pk}"' in html
    assert 'name="freelancer_search" value="Ada Lovelace"' in html
    assert f'<option value="{pending.pk}"' not in html  # not selectable until approved


def test_notice_ignores_another_managers_request(client, company, manager, boss):
    from tests.factories import ApprovalRequestFactory

    theirs = ApprovalRequestFactory(company=company, requester=hiring_manager(company), approver=boss)
    client.force_login(manager)
    response = client.get(NEW, {"approval_request": theirs.pk})
    html = response.content.decode()
    # An empty offer form, neither naming nor prefilled from the other manager's request.
    assert response.status_code == 200
    assert 'name="title"' in html and 'value="send"' in html
    assert "is pending with" not in html and theirs.title not in html


def test_an_approval_link_prefills_the_offer_with_the_approved_terms(client, manager, approval, talent):
    client.force_login(manager)
    html = client.get(NEW, {"approval_request": approval.pk}).content.decode()
    assert f'<option value="{approval.pk}" selected>' in html
    assert f'value="{approval.title}"' in html and 'value="85.00"' in html
    assert f'<input type="hidden" name="freelancer" value="{talent.pk}"' in html
    assert 'name="freelancer_search" value="Ada Lovelace"' in html


def test_use_the_requests_terms_button_refills_the_form(client, manager, approval, talent):
    client.force_login(manager)
    data = offer_post(approval=approval, amount="1.00", title="Draft", message="Keep me")
    response = client.post(NEW, {**data, "action": "fill"})
    html = response.content.decode()
    assert response.status_code == 200 and not Offer.objects.exists()
    assert 'value="85.00"' in html and f'value="{approval.title}"' in html and "Keep me" in html


def test_byo_offer_to_someone_not_on_the_marketplace(client, company, manager, boss):
    job = JobFactory(company=company, posted_by=manager)
    byo = approved_request(company=company, requester=manager, approver=boss, freelancer=None,
                           freelancer_name="Bob Outside", freelancer_email="bob@outside.test",
                           offer_type="byo", job=job)
    client.force_login(manager)
    data = offer_post(approval=byo, job=job.pk, freelancer_name="Bob Outside",
                      freelancer_email="Bob@Outside.test")
    response = client.post(NEW, data)
    assert response.status_code == 302
    offer = Offer.objects.get()
    assert offer.freelancer is None and offer.freelancer_email == "bob@outside.test"
    assert offer.offer_type == "byo" and offer.freelancer_display == "Bob Outside"


def test_byo_email_of_a_marketplace_freelancer_uses_their_account(client, company, manager, boss, talent):
    job = JobFactory(company=company, posted_by=manager)
    byo = approved_request(company=company, requester=manager, approver=boss, freelancer=talent,
                           offer_type="byo", job=job)
    client.force_login(manager)
    response = client.post(NEW, offer_post(approval=byo, job=job.pk, freelancer_email="ADA@example.test"))
    assert response.status_code == 302
    assert Offer.objects.get().freelancer == talent


def test_non_manager_member_cannot_send_offers(client, company, boss, talent):
    client.force_login(boss)
    response = client.post(NEW, offer_post(freelancer=talent))
    assert response.status_code == 302 and response.url == reverse("offers:offer_list")
    assert not Offer.objects.exists()


def test_a_manager_without_usable_approvals_is_told_how_to_get_one(client, manager):
    client.force_login(manager)
    html = client.get(NEW).content.decode()
    assert "You have no approved request ready to use." in html


def test_approval_actions_posted_by_hand_are_ignored_without_approvals(client, open_manager, talent):
    client.force_login(open_manager)
    data = {**offer_post(freelancer=talent), "action": "fill", "approval_request": "new"}
    response = client.post(NEW, data)
    assert response.status_code == 302 and response.url.startswith("/offers/")
    assert Offer.objects.get().approval_request is None
