"""The broker stopped (a redis-server of the test's own, really stopped) while people work:
every page answers as usual, every change and its notifications are saved with their emails
pending; with the broker back, one relay pass emails each exactly once."""

import collections
import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.delivery import KEY_HEADER
from accounts.models import Notification
from approvals.models import ApprovalRequest, State
from jobs.models import Invite
from offers.models import Offer
from referrals.models import Referral
from tests.factories import beta_freelancer, direct_invite, freelancer
from tests.offers.helpers import offer_post

pytestmark = [pytest.mark.slow, pytest.mark.django_db]


def _post(client, user, url, data, callbacks):
    """POST as ``user``, running the after-commit publishes against the stopped broker."""
    client.force_login(user)
    with callbacks(execute=True):
        response = client.post(url, data)  # a 500 would raise here (the test client re-raises)
    assert response.status_code in (200, 302), (url, response.status_code)
    return response


def test_people_work_normally_while_the_broker_is_stopped_and_the_relay_catches_up(
    client, manager, boss, talent, approval, own_broker, mailoutbox, caplog,
    django_capture_on_commit_callbacks,
):
    own_broker.stop()
    callbacks = django_capture_on_commit_callbacks
    start = (timezone.localdate() + datetime.timedelta(days=7)).isoformat()

    with caplog.at_level("WARNING"):
        # A hiring manager creates a request; the approver decides it.
        _post(client, manager, reverse("approvals:create"), {
            "title": "Data engineer", "offer_type": "direct", "freelancer": talent.pk,
            "contract_type": "hourly", "amount": "95.50", "currency": "USD", "weekly_hour_limit": "30",
            "start_date": start, "approver": boss.pk,
        }, callbacks)
        created = ApprovalRequest.objects.get(title="Data engineer")
        decide = reverse("approvals:decide", args=[created.pk])
        _post(client, boss, decide, {"decision": "approve"}, callbacks)
        # The manager sends an offer with another approval.
        offer = offer_post(freelancer=talent, approval=approval)
        _post(client, manager, reverse("offers:offer_create"), offer, callbacks)
        # A freelancer accepts an invite; another declines one and refers a colleague.
        accepted = direct_invite(freelancer(connects_balance=20))
        accept = reverse("jobs:invite_accept", args=[accepted.pk])
        _post(client, accepted.freelancer, accept, {"confirm": "yes"}, callbacks)
        declined = direct_invite(beta_freelancer())
        referred = freelancer()
        _post(client, declined.freelancer, reverse("referrals:refer", args=[declined.pk]), {
            "reason": "Too busy right now", "details": "", "note": "She is great", "freelancer": referred.pk,
        }, callbacks)

    # Every change was saved ...
    created.refresh_from_db()
    accepted.refresh_from_db()
    declined.refresh_from_db()
    assert created.state == State.APPROVED
    assert Offer.objects.get(approval_request=approval).freelancer == talent
    assert accepted.state == Invite.State.ACCEPTED and declined.state == Invite.State.DECLINED
    assert Referral.objects.get().referred == referred
    # ... with its notifications, every email waiting, and the broker errors only logged.
    owed = dict(Notification.objects.exclude(email_state="skipped").values_list("key", "email_state"))
    assert set(owed.values()) == {"pending"}, owed
    kinds = ("approval-new:", "approval-decision:", "offer-sent:", "invite-accepted:", "referral-invite:")
    for prefix in kinds:
        assert any(key.startswith(prefix) for key in owed), (prefix, sorted(owed))
    assert mailoutbox == []
    assert any("outcome=deferred" in record.getMessage() for record in caplog.records)

    own_broker.start()
    call_command("deliver_notifications")
    call_command("deliver_notifications")  # a second pass finds nothing left to send

    sent = collections.Counter(message.extra_headers[KEY_HEADER] for message in mailoutbox)
    assert sent == collections.Counter(set(owed)), "each email exactly once"
    assert set(Notification.objects.filter(key__in=owed).values_list("email_state", flat=True)) == {"sent"}
