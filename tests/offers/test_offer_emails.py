"""Offer emails: notifications written with the change, emailed after commit, once per key,
to the right person."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import Notification
from accounts.tasks import deliver_notifications
from offers.services import offer_accept, offer_decline, offer_modify, offer_send, offer_withdraw
from tests.factories import JobFactory, offer_terms

pytestmark = pytest.mark.django_db
LINK = "http://testserver/offers/{}/"


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    return django_capture_on_commit_callbacks


def _send(manager, approval, on_commit, **overrides):
    with on_commit(execute=True):
        return offer_send(sent_by=manager, **offer_terms(approval, **overrides))


def test_offer_sent_email_goes_to_the_freelancer_after_commit(
    manager, approval, talent, mailoutbox, on_commit
):
    with on_commit(execute=False) as callbacks:
        offer = offer_send(sent_by=manager, **offer_terms(approval, message="We'd love to work with you"))
    assert mailoutbox == [] and len(callbacks) == 1  # nothing leaves before the commit
    callbacks[0]()

    [email] = mailoutbox
    assert email.to == [talent.email]
    assert email.subject == f"Acme Test sent you an offer: {approval.title}"
    assert "Maria Manager at Acme Test sent you a contract offer (Direct contract)." in email.body
    assert "Rate: 85.00 USD per hour" in email.body and "Weekly limit: 30 hours" in email.body
    assert "We'd love to work with you" in email.body
    assert LINK.format(offer.pk) in email.body
    html = email.alternatives[0][0]
    assert f'href="{LINK.format(offer.pk)}"' in html and "85.00 USD per hour" in html
    notification = Notification.objects.get(key=f"offer-sent:{offer.pk}:1")
    assert notification.email_state == "sent" and notification.recipient == talent


def test_a_redelivered_task_never_sends_twice(manager, approval, mailoutbox, on_commit):
    offer = _send(manager, approval, on_commit)
    notification = Notification.objects.get(key=f"offer-sent:{offer.pk}:1")
    assert deliver_notifications.delay([notification.pk]).get() == 0
    assert len(mailoutbox) == 1


def test_byo_freelancer_without_an_account_is_emailed_at_the_address_given(
    company, manager, boss, mailoutbox, on_commit
):
    from tests.factories import approved_request

    job = JobFactory(company=company, posted_by=manager)
    byo = approved_request(
        company=company, requester=manager, approver=boss, freelancer=None, job=job,
        freelancer_name="Bob Outside", freelancer_email="bob@outside.test", offer_type="byo",
    )
    _send(manager, byo, on_commit)
    [email] = mailoutbox
    assert email.to == ["bob@outside.test"] and "Hello Bob Outside" in email.body
    assert "join Greenlight with this email address (bob@outside.test)" in email.body


def test_modified_email_carries_the_new_terms(
    manager, approval, talent, mailoutbox, on_commit
):
    offer = _send(manager, approval, on_commit)
    later = approval.start_date + datetime.timedelta(days=7)
    with on_commit(execute=True):
        offer_modify(offer_id=offer.pk, modified_by=manager, title="Lead Django developer",
                     contract_type="hourly", amount=offer.amount, currency="USD", weekly_hour_limit=30,
                     start_date=later, message="New date",
                     confirmed_differences=[
                         f"Start date: approved {approval.start_date:%b %d, %Y}, offer {later:%b %d, %Y}"
                     ])
    email = mailoutbox[-1]
    assert email.to == [talent.email]
    assert email.subject == "Acme Test changed its offer: Lead Django developer"
    assert "This is revision 2" in email.body
    assert f"Start date: {later:%b} {later.day}, {later:%Y}" in email.body
    assert LINK.format(offer.pk) in email.body
    assert Notification.objects.get(key=f"offer-modified:{offer.pk}:2").email_state == "sent"


def test_withdrawn_email_goes_to_the_freelancer(
    manager, approval, talent, mailoutbox, on_commit
):
    offer = _send(manager, approval, on_commit)
    with on_commit(execute=True):
        offer_withdraw(offer_id=offer.pk, withdrawn_by=manager)
    email = mailoutbox[-1]
    assert email.to == [talent.email] and email.subject == f"Acme Test withdrew its offer: {offer.title}"
    assert "withdrew the offer" in email.body and LINK.format(offer.pk) in email.body


def test_withdrawn_before_the_sent_email_went_out_sends_no_sent_email(
    manager, approval, mailoutbox, on_commit
):
    with on_commit(execute=False) as sent_callbacks:
        offer = offer_send(sent_by=manager, **offer_terms(approval))
    offer_withdraw(offer_id=offer.pk, withdrawn_by=manager)
    sent_callbacks[0]()
    assert mailoutbox == []


def test_accepted_email_goes_to_the_hiring_manager(
    manager, approval, talent, mailoutbox, on_commit
):
    offer = _send(manager, approval, on_commit)
    with on_commit(execute=True):
        offer_accept(offer_id=offer.pk, freelancer=talent)
    email = mailoutbox[-1]
    assert email.to == [manager.email] and email.subject == f"Ada Lovelace accepted your offer: {offer.title}"
    assert "The contract is on." in email.body and LINK.format(offer.pk) in email.body


def test_declined_email_tells_the_manager_why(
    manager, approval, talent, mailoutbox, on_commit
):
    offer = _send(manager, approval, on_commit)
    with on_commit(execute=True):
        offer_decline(offer_id=offer.pk, freelancer=talent, reason="Booked until May")
    email = mailoutbox[-1]
    assert email.to == [manager.email] and email.subject == f"Ada Lovelace declined your offer: {offer.title}"
    assert "Booked until May" in email.body and "The approval it used is available again" in email.body
    assert "Booked until May" in email.alternatives[0][0]


def test_refused_action_sends_no_email(manager, approval, talent, mailoutbox, on_commit):
    from offers.services import OfferError

    offer = _send(manager, approval, on_commit)
    with on_commit(execute=True):
        offer_withdraw(offer_id=offer.pk, withdrawn_by=manager)
    count = len(mailoutbox)
    with on_commit(execute=True), pytest.raises(OfferError):
        offer_withdraw(offer_id=offer.pk, withdrawn_by=manager)
    assert len(mailoutbox) == count
    assert offer.start_date >= timezone.localdate()


def test_modified_email_lists_what_changed(open_manager, talent, mailoutbox, on_commit):
    """A freelancer told only "the offer changed" has to compare two sets of terms by eye."""
    with on_commit(execute=True):
        offer = offer_send(sent_by=open_manager, **offer_terms(freelancer=talent, message="Hello"))
    with on_commit(execute=True):
        offer_modify(offer_id=offer.pk, modified_by=open_manager, title=offer.title, contract_type="hourly",
                     amount=offer.amount, currency="USD", weekly_hour_limit=25,
                     start_date=offer.start_date, message="Hello")
    email = mailoutbox[-1]
    assert "What changed since revision 1:\n- Weekly limit: 30 hours → 25 hours\n" in email.body
    assert "Amount:" not in email.body
    assert "<li>Weekly limit: 30 hours → 25 hours</li>" in email.alternatives[0][0]

    later = offer.start_date + datetime.timedelta(days=3)
    with on_commit(execute=True):
        offer_modify(offer_id=offer.pk, modified_by=open_manager, title=offer.title, contract_type="fixed",
                     amount=12500, currency="EUR", weekly_hour_limit=None, start_date=later, message="")
    body = mailoutbox[-1].body
    assert "Contract: Hourly → Fixed price" in body
    assert "Amount: 85.00 USD per hour → 12,500.00 EUR" in body
    assert "Weekly limit: 25 hours → none (fixed price)" in body
    assert f"Start date: {offer.start_date:%b} {offer.start_date.day}, {offer.start_date:%Y} → " in body
    assert "Message: removed" in body and "Fixed price: 12,500.00 EUR" in body
