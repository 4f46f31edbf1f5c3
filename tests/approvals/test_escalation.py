"""Escalation: a decision pending longer than the policy's days is escalated once to its
contacts, in-app and by email, with a link to the request they can open."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Notification
from approvals import services, tasks
from approvals.models import ApprovalPolicy, RequestStep
from config.celery import app
from tests.factories import MembershipFactory, UserFactory, approver

pytestmark = pytest.mark.django_db

Kind = Notification.Kind


@pytest.fixture
def chief(team):
    """An escalation contact without an approval role: the head of the team."""
    chief = UserFactory(full_name="Carla Chief", email="carla@acme.test")
    MembershipFactory(user=chief, company=team.company)
    return chief


@pytest.fixture
def policy(team, chief):
    policy = ApprovalPolicy.objects.create(company=team.company, escalation_days=3)
    policy.escalation_contacts.set([chief])
    return policy


def _waiting_for(approval_request, days: float):
    RequestStep.objects.filter(request=approval_request).update(
        activated_at=timezone.now() - datetime.timedelta(days=days)
    )


def test_overdue_decision_is_escalated_once_to_each_contact(
    team, policy, chief, make_request, mailoutbox, django_capture_on_commit_callbacks
):
    second = approver(team.company, full_name="Sam Second", email="sam@acme.test")
    policy.escalation_contacts.add(second)
    approval_request = make_request(title="Data engineer")
    _waiting_for(approval_request, days=3.1)

    with django_capture_on_commit_callbacks(execute=True):
        escalated = services.approval_steps_escalate_overdue()
    with django_capture_on_commit_callbacks(execute=True):
        again = tasks.escalate_overdue_decisions()

    step = RequestStep.objects.get(request=approval_request)
    assert escalated == [step.pk] and again == 0
    assert step.escalated_at is not None
    notifications = Notification.objects.filter(kind=Kind.APPROVAL_ESCALATED).order_by("recipient__full_name")
    assert [n.recipient for n in notifications] == [chief, second]
    assert notifications[0].title == "Overdue: “Data engineer” has waited over 3 days for Alan Approver"
    assert notifications[0].link == reverse("approvals:detail", args=[approval_request.pk])
    assert sorted(message.to[0] for message in mailoutbox) == ["carla@acme.test", "sam@acme.test"]
    message = next(m for m in mailoutbox if m.to == ["carla@acme.test"])
    assert message.subject == "Overdue: “Data engineer” has waited over 3 days for a decision"
    assert "Hello Carla," in message.body and "Alan Approver" in message.body
    assert f"http://testserver/approvals/{approval_request.pk}/" in message.body


def test_a_decision_within_the_days_is_not_escalated_at_the_edge_or_before(team, policy, make_request):
    approval_request = make_request()
    _waiting_for(approval_request, days=2.9)
    assert services.approval_steps_escalate_overdue() == []
    assert not Notification.objects.filter(kind=Kind.APPROVAL_ESCALATED).exists()


def test_no_escalation_without_days_in_the_policy(team, policy, make_request):
    policy.escalation_days = None
    policy.save()
    _waiting_for(make_request(), days=30)
    assert services.approval_steps_escalate_overdue() == []
    assert not Notification.objects.filter(kind=Kind.APPROVAL_ESCALATED).exists()


def test_decided_cancelled_and_expired_requests_are_not_escalated(team, policy, make_request):
    decided, cancelled, past = make_request(), make_request(), make_request()
    for approval_request in (decided, cancelled, past):
        _waiting_for(approval_request, days=5)
    services.approval_request_approve(approval_request_id=decided.pk, actor=team.approver)
    services.approval_request_cancel(approval_request_id=cancelled.pk, actor=team.manager)
    type(past).objects.filter(pk=past.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))

    assert services.approval_steps_escalate_overdue() == []


def test_contacts_who_left_the_company_or_were_deactivated_are_not_told(team, policy, chief, make_request):
    gone = UserFactory(full_name="Gone Person", is_active=False)
    MembershipFactory(user=gone, company=team.company)
    policy.escalation_contacts.add(gone, team.outside_approver)
    _waiting_for(make_request(), days=4)

    services.approval_steps_escalate_overdue()

    assert [n.recipient for n in Notification.objects.filter(kind=Kind.APPROVAL_ESCALATED)] == [chief]


def test_the_contact_opens_the_escalated_request_and_sees_no_other(client, team, policy, chief, make_request):
    overdue = make_request(title="Overdue one")
    other = make_request(title="Fresh one")
    _waiting_for(overdue, days=4)
    services.approval_steps_escalate_overdue()
    client.force_login(chief)

    response = client.get(reverse("approvals:detail", args=[overdue.pk]))

    assert response.status_code == 200 and "Overdue one" in response.content.decode()
    assert "Your decision" not in response.content.decode()
    assert client.get(reverse("approvals:detail", args=[other.pk])).status_code == 404


def test_escalation_runs_in_the_beat_schedule():
    entry = app.conf.beat_schedule["escalate-overdue-approval-decisions"]
    assert entry["task"] == "approvals.tasks.escalate_overdue_decisions"
    assert entry["task"] in app.tasks


def test_email_settings_offer_the_escalation_email_to_contacts_only(client, team, policy, chief):
    client.force_login(chief)
    body = client.get("/notifications/settings/").content.decode()
    assert "Overdue decisions escalated to you" in body and 'value="approval-escalated"' in body
    client.force_login(team.approver)
    body = client.get("/notifications/settings/").content.decode()
    assert 'value="approval-escalated"' not in body and 'value="approval-new"' in body
