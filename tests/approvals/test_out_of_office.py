"""Out of office: an approver away names a delegate, who decides on their behalf."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Notification
from approvals import delegation, selectors, services
from approvals.models import ApprovalTransition, OutOfOffice
from approvals.tokens import check_decision_token
from tests.approvals.chain_helpers import ask, initech
from tests.factories import approver, hiring_manager

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def people():
    people = initech()
    people.backup = approver(people.company, full_name="Bea Backup", email="backup@initech.test")
    return people


def away(person, delegate, *, starts=-HOUR, ends=48 * HOUR):
    now = timezone.now()
    return delegation.out_of_office_set(
        approver=person, delegate=delegate, starts_at=now + starts, ends_at=now + ends
    )


def test_a_new_request_reaches_the_delegate_and_the_approver_is_told_in_app(people):
    away(people.lead, people.backup)
    approval_request = ask(people)
    to_backup = Notification.objects.get(kind="approval-new", recipient=people.backup)
    assert to_backup.title.endswith("for Leo Lead (away)")
    assert to_backup.email_state == "pending"
    assert "on_behalf_of_name" in to_backup.context
    told = Notification.objects.get(kind="approval-delegated", recipient=people.lead,
                                    link=f"/approvals/{approval_request.pk}/")
    assert "Bea Backup, who decides for you" in told.title and told.email_state == "skipped"
    assert not Notification.objects.filter(kind="approval-new", recipient=people.lead).exists()


def test_the_delegate_decides_on_behalf_and_the_trail_and_page_say_so(client, people):
    away(people.lead, people.backup)
    approval_request = ask(people)
    services.approval_request_approve(approval_request_id=approval_request.pk, actor=people.backup)
    seat = approval_request.step_approvers.get(approver=people.lead)
    assert (seat.decision, seat.decided_by) == ("approved", people.backup)
    entry = ApprovalTransition.objects.get(request=approval_request, name="approve")
    assert (entry.actor, entry.on_behalf_of) == (people.backup, people.lead)
    client.force_login(people.lead)  # the approver keeps seeing the request
    page = client.get(reverse("approvals:detail", args=[approval_request.pk])).content.decode()
    assert "by Bea Backup on behalf of Leo Lead" in page


def test_the_delegate_approves_from_the_request_page(client, people):
    """The page's approval reads the request once, under its lock: a delegate, who holds no seat
    of the request, still sees it there (the pages' own test) and decides for the approver; then
    lands on the request page, which they keep seeing with what they did."""
    away(people.lead, people.backup)
    approval_request = ask(people)
    client.force_login(people.backup)
    response = client.post(reverse("approvals:decide", args=[approval_request.pk]),
                           {"decision": "approve"}, follow=True)
    assert response.status_code == 200
    assert "by Bea Backup on behalf of Leo Lead" in response.content.decode()
    seat = approval_request.step_approvers.get(approver=people.lead)
    assert (seat.decision, seat.decided_by) == ("approved", people.backup)


def test_a_later_steps_approver_is_told_to_wait_not_refused_the_page(client, people):
    approval_request = ask(people)  # Team lead first, then Finance
    client.force_login(people.cfo)
    response = client.post(reverse("approvals:decide", args=[approval_request.pk]),
                           {"decision": "approve"}, follow=True)
    assert response.status_code == 200
    assert "comes later" in response.content.decode()
    assert approval_request.step_approvers.get(approver=people.cfo).decision == "pending"


def test_decisions_already_waiting_go_to_the_delegate_when_the_period_starts(people):
    approval_request = ask(people)
    away(people.lead, people.backup)
    assert Notification.objects.filter(kind="approval-new", recipient=people.backup).count() == 1
    assert Notification.objects.filter(
        kind="approval-delegated", recipient=people.backup, title__contains="you decide their"
    ).exists()
    assert [r.pk for r in selectors.approval_requests_for_dashboard(user=people.backup)
            if r.awaiting_me == 0] == [approval_request.pk]
    assert selectors.awaiting_decision_count(people.backup) == 1


def test_the_delegates_email_link_decides_as_the_delegate(client, people, settings):
    away(people.lead, people.backup)
    approval_request = ask(people)
    link = Notification.objects.get(kind="approval-new", recipient=people.backup).context["approve_url"]
    path = re.sub(r"^https?://[^/]+", "", link)
    check = check_decision_token(path.rstrip("/").rsplit("/", 1)[1])
    assert check.ok and check.approver_id == people.backup.pk
    page = client.get(path).content.decode()
    assert "on behalf of Leo Lead, who is out of office" in page
    client.post(path)
    entry = ApprovalTransition.objects.get(request=approval_request, name="approve")
    assert (entry.actor, entry.on_behalf_of) == (people.backup, people.lead)


def test_ending_early_hands_undecided_requests_back(people):
    period = away(people.lead, people.backup)
    approval_request = ask(people)
    delegation.out_of_office_end(approver=people.lead, period_id=period.pk)
    with pytest.raises(services.ApprovalError, match="their delegates while they are away"):
        services.approval_request_approve(approval_request_id=approval_request.pk, actor=people.backup)
    assert Notification.objects.filter(kind="approval-delegated", recipient=people.backup,
                                       title__contains="is back").exists()
    services.approval_request_approve(approval_request_id=approval_request.pk, actor=people.lead)


def test_a_period_that_has_ended_no_longer_delegates(people):
    period = away(people.lead, people.backup)
    approval_request = ask(people)
    OutOfOffice.objects.filter(pk=period.pk).update(ends_at=timezone.now() - datetime.timedelta(seconds=1))
    with pytest.raises(services.ApprovalError):
        services.approval_request_approve(approval_request_id=approval_request.pk, actor=people.backup)


def test_delegation_follows_at_most_three_hops():
    delegations = {1: 2, 2: 3, 3: 4, 4: 5}
    eligible = {1, 2, 3, 4, 5}
    assert delegation.resolve(1, delegations=delegations, requester_id=None, eligible=eligible) == 4
    assert delegation.resolve(3, delegations=delegations, requester_id=None, eligible=eligible) == 5


def test_delegation_never_loops_and_skips_the_requester_and_the_ineligible():
    eligible = {1, 2, 3}
    assert delegation.resolve(1, delegations={1: 2, 2: 1}, requester_id=None, eligible=eligible) == 2
    # 2 made the request: skipped, on to their delegate 3.
    assert delegation.resolve(1, delegations={1: 2, 2: 3}, requester_id=2, eligible=eligible) == 3
    # 2 made the request and delegates nowhere: the decision stays with 1.
    assert delegation.resolve(1, delegations={1: 2}, requester_id=2, eligible=eligible) == 1
    # 9 is no longer an approver: stays with 1.
    assert delegation.resolve(1, delegations={1: 9}, requester_id=None, eligible=eligible) == 1


def test_a_delegate_who_made_the_request_is_skipped(people):
    people.backup.membership.is_hiring_manager = True
    people.backup.membership.save()
    away(people.lead, people.backup)
    approval_request = ask(people, requester=people.backup)
    with pytest.raises(services.ApprovalError, match="your own request"):
        services.approval_request_approve(approval_request_id=approval_request.pk, actor=people.backup)
    assert Notification.objects.filter(kind="approval-new", recipient=people.lead).exists()
    services.approval_request_approve(approval_request_id=approval_request.pk, actor=people.lead)


@pytest.mark.parametrize("who, message", [
    ("self", "someone other than yourself"),
    ("outsider", "another approver of your company"),
    ("manager", "another approver of your company"),
])
def test_a_delegate_must_be_another_approver_of_the_company(people, who, message):
    delegate = {"self": people.lead, "outsider": approver(), "manager": people.manager}[who]
    with pytest.raises(delegation.DelegationError, match=message):
        away(people.lead, delegate)
    assert not OutOfOffice.objects.exists()


def test_a_period_in_the_past_or_backwards_is_refused(people):
    with pytest.raises(delegation.DelegationError, match="already over"):
        away(people.lead, people.backup, starts=-48 * HOUR, ends=-HOUR)
    with pytest.raises(delegation.DelegationError, match="end after it starts"):
        away(people.lead, people.backup, starts=5 * HOUR, ends=2 * HOUR)


def test_delegating_back_to_someone_who_delegates_to_you_is_refused(people):
    away(people.lead, people.backup)
    with pytest.raises(delegation.DelegationError, match="delegates to you"):
        away(people.backup, people.lead)


def test_overlapping_periods_of_one_approver_are_refused(people):
    away(people.lead, people.backup)
    with pytest.raises(delegation.DelegationError, match="already have an out-of-office period"):
        away(people.lead, people.cfo, starts=HOUR, ends=5 * HOUR)


def test_the_out_of_office_page_sets_and_ends_a_period(client, people):
    client.force_login(people.lead)
    page = client.get(reverse("approvals:out_of_office")).content.decode()
    assert "Set a period away" in page and "Bea Backup" in page and "Irene Manager" not in page
    fmt = "%Y-%m-%dT%H:%M"
    now = timezone.localtime()
    response = client.post(reverse("approvals:out_of_office"), {
        "delegate": people.backup.pk, "starts_at": now.strftime(fmt),
        "ends_at": (now + 24 * HOUR).strftime(fmt),
    }, follow=True)
    assert "Out of office set: Bea Backup decides" in response.content.decode()
    period = OutOfOffice.objects.get()
    response = client.post(reverse("approvals:out_of_office"), {"end": period.pk}, follow=True)
    assert "Out of office ended" in response.content.decode()


def test_the_page_keeps_what_was_typed_when_refused(client, people):
    client.force_login(people.lead)
    response = client.post(reverse("approvals:out_of_office"), {
        "delegate": people.backup.pk, "starts_at": "2020-01-01T09:00", "ends_at": "2020-01-02T09:00",
    })
    page = response.content.decode()
    assert "already over" in page and 'value="2020-01-01T09:00"' in page
    assert not OutOfOffice.objects.exists()


def test_someone_elses_period_cannot_be_ended(client, people):
    period = away(people.lead, people.backup)
    client.force_login(people.cfo)
    response = client.post(reverse("approvals:out_of_office"), {"end": period.pk}, follow=True)
    assert "not yours" in response.content.decode()
    period.refresh_from_db()
    assert period.ended_at is None


def test_hiring_managers_are_told_out_of_office_is_for_approvers(client):
    client.force_login(hiring_manager())
    response = client.get(reverse("approvals:out_of_office"))
    assert response.status_code == 403 and "Out of office is for approvers" in response.content.decode()


def test_a_period_that_starts_after_the_signed_in_users_lookup_was_built_is_seen_as_on(people):
    # The signed-in user's lookup, and the flags it loads, are built once per process
    # (accounts.backends.signed_in_users): whether someone is away is asked of the database's
    # clock, not of the time the lookup was built at.
    from accounts.backends import signed_in_users

    assert signed_in_users().get(pk=people.lead.pk).approvals_someone_away is False
    away(people.lead, people.backup, starts=datetime.timedelta(0))
    assert signed_in_users().get(pk=people.backup.pk).approvals_someone_away is True
    later = away(people.cfo, people.backup, starts=HOUR)
    assert later.starts_at > timezone.now()
    OutOfOffice.objects.exclude(pk=later.pk).delete()
    assert signed_in_users().get(pk=people.backup.pk).approvals_someone_away is False
