"""Every allowed and refused transition of the lifecycle, through the services."""

import datetime

import pytest
from django.utils import timezone
from django_fsm import TransitionNotAllowed

from approvals import services
from approvals.models import ApprovalTransition, State
from tests.factories import approver, move_past_expiry

pytestmark = pytest.mark.django_db


def _approve(approval_request, actor, comment=""):
    return services.approval_request_approve(
        approval_request_id=approval_request.pk, actor=actor, comment=comment
    )


def _decline(approval_request, actor, comment=""):
    return services.approval_request_decline(
        approval_request_id=approval_request.pk, actor=actor, comment=comment
    )


def _states(approval_request):
    return list(
        ApprovalTransition.objects.filter(request=approval_request).values_list(
            "name", "source_state", "target_state"
        )
    )


def test_approver_approves_pending_request_for_the_validity_window(team, make_request):
    team.company.approval_validity_days = 10
    team.company.save()
    approval_request = _approve(make_request(), team.approver, "Within budget.")
    approval_request.refresh_from_db()
    assert approval_request.state == State.APPROVED
    assert approval_request.decided_at is not None
    assert approval_request.decision_comment == "Within budget."
    expected = timezone.now() + datetime.timedelta(days=10)
    assert abs((approval_request.expires_at - expected).total_seconds()) < 5
    log = approval_request.transitions.last()
    assert (log.name, log.source_state, log.target_state, log.actor, log.comment) == (
        "approve", "pending", "approved", team.approver, "Within budget."
    )


def test_approver_declines_pending_request_without_a_comment(team, make_request):
    approval_request = _decline(make_request(), team.approver)
    approval_request.refresh_from_db()
    assert approval_request.state == State.DECLINED
    assert _states(approval_request)[-1] == ("decline", "pending", "declined")


def test_approver_cannot_decide_after_the_decision_window(team, make_request):
    approval_request = move_past_expiry(make_request())
    for action in (_approve, _decline):
        with pytest.raises(services.ApprovalError, match="expired"):
            action(approval_request, team.approver)
    approval_request.refresh_from_db()
    assert approval_request.state == State.PENDING
    assert _states(approval_request) == [("create", "", "pending")]


@pytest.mark.parametrize("action", [_approve, _decline])
def test_decided_request_cannot_be_decided_again(team, make_request, action):
    approval_request = make_request()
    _decline(approval_request, team.approver)
    with pytest.raises(services.ApprovalError, match="declined"):
        action(approval_request, team.approver)
    assert len(_states(approval_request)) == 2


def test_approved_request_cannot_be_approved_or_declined_again(team, make_request):
    approval_request = _approve(make_request(), team.approver)
    for action in (_approve, _decline):
        with pytest.raises(services.ApprovalError, match="approved"):
            action(approval_request, team.approver)


def test_requester_cannot_approve_own_request_even_as_an_approver(team, make_request):
    team.manager.membership.is_approver = True
    team.manager.membership.save()
    approval_request = make_request()
    with pytest.raises(services.ApprovalError, match="own request"):
        _approve(approval_request, team.manager)
    approval_request.refresh_from_db()
    assert approval_request.state == State.PENDING


def test_database_refuses_a_request_whose_requester_is_its_approver(team):
    """The rule holds below the services too: a CHECK constraint in PostgreSQL."""
    from django.db import IntegrityError, transaction

    from tests.factories import ApprovalRequestFactory

    with pytest.raises(IntegrityError, match="approval_requester_is_not_approver"), transaction.atomic():
        ApprovalRequestFactory(
            company=team.company, requester=team.manager, approver=team.manager,
            freelancer=team.freelancer,
        )


def test_another_approver_of_the_company_cannot_decide(team, make_request):
    someone_else = approver(team.company)
    with pytest.raises(services.ApprovalError, match="Only the approvers of this request"):
        _approve(make_request(), someone_else)


@pytest.mark.parametrize("who", ["member", "outside_approver"])
def test_member_without_the_assignment_cannot_decide(team, make_request, who):
    with pytest.raises(services.ApprovalError):
        _decline(make_request(), getattr(team, who))


def test_approver_who_lost_the_role_cannot_decide(team, make_request):
    approval_request = make_request()
    team.approver.membership.is_approver = False
    team.approver.membership.save()
    with pytest.raises(services.ApprovalError, match="no longer"):
        _approve(approval_request, team.approver)


def test_approved_request_is_consumed_then_released_by_its_requester(team, make_request):
    approval_request = _approve(make_request(), team.approver)
    services.approval_request_consume(approval_request=approval_request, actor=team.manager)
    assert approval_request.state == State.CONSUMED and approval_request.consumed_at
    services.approval_request_release(
        approval_request=approval_request, actor=team.manager, comment="Offer withdrawn."
    )
    assert approval_request.state == State.APPROVED and approval_request.consumed_at is None
    assert [s[0] for s in _states(approval_request)] == ["create", "approve", "consume", "release"]


def test_only_the_requester_can_consume(team, make_request):
    approval_request = _approve(make_request(), team.approver)
    with pytest.raises(services.ApprovalError, match="hiring manager who requested"):
        services.approval_request_consume(approval_request=approval_request, actor=team.approver)


def test_pending_request_cannot_be_consumed(team, make_request):
    with pytest.raises(services.ApprovalError, match="pending"):
        services.approval_request_consume(approval_request=make_request(), actor=team.manager)


def test_approval_past_its_validity_cannot_be_consumed(team, make_request):
    approval_request = move_past_expiry(_approve(make_request(), team.approver))
    with pytest.raises(services.ApprovalError, match="expired"):
        services.approval_request_consume(approval_request=approval_request, actor=team.manager)


def test_release_after_validity_expires_instead(team, make_request):
    approval_request = _approve(make_request(), team.approver)
    services.approval_request_consume(approval_request=approval_request, actor=team.manager)
    move_past_expiry(approval_request)
    services.approval_request_release(
        approval_request=approval_request, actor=team.manager, comment="Offer declined."
    )
    approval_request.refresh_from_db()
    assert approval_request.state == State.EXPIRED
    assert _states(approval_request)[-1] == ("expire", "consumed", "expired")


def test_pending_request_expires_only_after_its_window(team, make_request):
    approval_request = make_request()
    with pytest.raises(services.ApprovalError):
        services.approval_request_expire(approval_request_id=approval_request.pk)
    move_past_expiry(approval_request)
    services.approval_request_expire(approval_request_id=approval_request.pk)
    approval_request.refresh_from_db()
    assert approval_request.state == State.EXPIRED and approval_request.expired_at
    assert _states(approval_request)[-1] == ("expire", "pending", "expired")


def test_consumed_request_is_not_expired_while_its_offer_is_live(team, make_request):
    approval_request = _approve(make_request(), team.approver)
    services.approval_request_consume(approval_request=approval_request, actor=team.manager)
    move_past_expiry(approval_request)
    with pytest.raises(services.ApprovalError, match="used by an offer"):
        services.approval_request_expire(approval_request_id=approval_request.pk)


@pytest.mark.parametrize("final", ["declined", "expired"])
def test_declined_and_expired_are_final(team, make_request, final):
    approval_request = make_request()
    if final == "declined":
        _decline(approval_request, team.approver)
    else:
        move_past_expiry(approval_request)
        services.approval_request_expire(approval_request_id=approval_request.pk)
    approval_request.refresh_from_db()
    for name in ("approve", "decline", "consume", "release", "expire"):
        with pytest.raises(TransitionNotAllowed):
            getattr(approval_request, name)(**({"valid_until": timezone.now()} if name == "approve" else {}))


def test_state_field_is_protected(team, make_request):
    approval_request = make_request()
    with pytest.raises(AttributeError):
        approval_request.state = State.APPROVED


def test_create_logs_the_request_and_sets_the_decision_window(team):
    team.company.decision_window_days = 3
    team.company.save()
    approval_request = services.approval_request_create(
        requester=team.manager, approver=team.approver, title="Data work",
        amount="50.00", start_date=timezone.localdate(), freelancer=team.freelancer,
        weekly_hour_limit=10,
    )
    assert approval_request.state == State.PENDING
    expected = timezone.now() + datetime.timedelta(days=3)
    assert abs((approval_request.expires_at - expected).total_seconds()) < 5
    assert _states(approval_request) == [("create", "", "pending")]


def test_create_refuses_an_approver_of_another_company(team):
    with pytest.raises(services.ApprovalError, match="approver of your company"):
        services.approval_request_create(
            requester=team.manager, approver=team.outside_approver, title="X", amount="5",
            start_date=timezone.localdate(), freelancer=team.freelancer,
        )


def test_create_refuses_a_member_without_the_hiring_manager_role(team):
    with pytest.raises(services.ApprovalError, match="Only hiring managers"):
        services.approval_request_create(
            requester=team.member, approver=team.approver, title="X", amount="5",
            start_date=timezone.localdate(), freelancer=team.freelancer,
        )


def test_deactivated_approver_cannot_decide(team, make_request):
    approval_request = make_request()
    team.approver.is_active = False
    team.approver.save()
    with pytest.raises(services.ApprovalError, match="deactivated"):
        _approve(approval_request, team.approver)


def test_release_after_validity_emails_the_requester_about_the_expiry(
    team, make_request, mailoutbox, django_capture_on_commit_callbacks
):
    approval_request = _approve(make_request(title="Data engineer"), team.approver)
    services.approval_request_consume(approval_request=approval_request, actor=team.manager)
    move_past_expiry(approval_request)
    with django_capture_on_commit_callbacks(execute=True):
        services.approval_request_release(
            approval_request=approval_request, actor=team.manager, comment="Offer withdrawn."
        )
    assert [m.subject for m in mailoutbox] == ["Expired: Data engineer for Ada Lovelace"]
    assert "its offer ended after the approval's validity was over" in mailoutbox[0].body


def test_only_own_declined_or_expired_requests_can_be_resubmitted(team, make_request):
    pending = make_request()
    with pytest.raises(services.ApprovalError, match="resubmitted"):
        services.approval_request_create(
            requester=team.manager, approver=team.approver, title="X", amount="5",
            start_date=timezone.localdate(), freelancer=team.freelancer, resubmission_of=pending,
        )
