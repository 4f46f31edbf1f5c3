"""One function per approval notification. Each writes the person's notification in the
caller's transaction (accounts.notifications.notify); the relay emails it after commit.

The email context holds plain values computed now (names, formatted money and dates, absolute
links), so the email says what was true when the event happened and renders without the models.
The one exception is the expired email: an expired request never changes again, so its row keeps
only the request's id and the email is built from the request when it is sent.
Times are formatted in the recipient's time zone, with the zone named.
``<kind>_notification(...)`` builds the values; ``send_<kind>(...)`` records them.
"""

import datetime

from django.urls import reverse
from django.utils import timezone

from accounts.mail import absolute_url
from accounts.models import Notification, User
from accounts.notifications import notify, notify_many
from accounts.timezones import format_for
from jobs.terms import format_money

from .models import ApprovalRequest, Decision, RequestStep, StepApprover, StepState
from .tokens import make_decision_token

Kind = Notification.Kind
EXPIRED_TEMPLATE = "approvals/emails/expired"
# What the expired email names besides the request: the people, the job, the previous request.
EXPIRED_EMAIL_RELATED = ("company", "requester", "freelancer", "job", "resubmission_of")


def _date(day: datetime.date) -> str:
    return f"{day:%b} {day.day}, {day:%Y}"  # "Dec 6, 2026", as the pages show dates


def _values(approval_request: ApprovalRequest, *, reader) -> dict:
    """The request as the email templates read it, for ``reader``: plain, JSON-serialisable values."""
    resubmission_of = approval_request.resubmission_of if approval_request.resubmission_of_id else None
    return {
        "id": approval_request.pk,
        "title": approval_request.title,
        "freelancer_display": approval_request.freelancer_display,
        "offer_type_display": approval_request.get_offer_type_display(),
        "contract_type": approval_request.contract_type,
        "contract_type_display": approval_request.get_contract_type_display(),
        "amount": format_money(approval_request.amount, approval_request.currency),
        "weekly_hour_limit": approval_request.weekly_hour_limit,
        "start_date": _date(approval_request.start_date),
        "job_title": approval_request.job.title if approval_request.job_id else "",
        "justification": approval_request.justification,
        "company_name": approval_request.company.name,
        "requester_name": str(approval_request.requester),
        "requester_short_name": approval_request.requester.get_short_name(),
        # Who decided (every approver whose approval counted, or who declined), else who was
        # still to decide: the undecided approvers of the active step.
        "approver_name": approval_request.decided_by_names or _waiting_names(approval_request),
        "approver_short_name": reader.get_short_name() if reader is not None else "",
        "state": approval_request.state,
        "decision_comment": approval_request.decision_comment,
        "expires_at": format_for(reader, approval_request.expires_at),
        "decided": approval_request.decided_at is not None,
        "consumed": approval_request.consumed_at is not None,
        "resubmission_of_id": approval_request.resubmission_of_id,
        "resubmission_of_state": resubmission_of.get_state_display().lower() if resubmission_of else "",
    }


def _waiting_names(approval_request: ApprovalRequest) -> str:
    names = getattr(approval_request, "_waiting_names", None)
    if names is None and "steps" in getattr(approval_request, "_prefetched_objects_cache", {}):
        from .rules import is_open, seats_of

        names = [str(seat.approver) for seat in sorted(
            (seat for seat in seats_of(approval_request) if is_open(seat)), key=lambda seat: seat.pk
        )]
    if names is None:
        names = [
            str(seat.approver)
            for seat in StepApprover.objects.filter(
                request_id=approval_request.pk, decision=Decision.PENDING, step__state=StepState.ACTIVE
            ).select_related("approver").order_by("id")
        ]
    if len(names) <= 1:
        return "".join(names) or "no approver"
    return ", ".join(names[:-1]) + f" and {names[-1]}"


def _context(approval_request: ApprovalRequest, *, reader, **extra) -> dict:
    return {
        "approval_request": _values(approval_request, reader=reader),
        "detail_url": absolute_url(_detail_path(approval_request)),
        **extra,
    }


def _detail_path(approval_request: ApprovalRequest) -> str:
    return reverse("approvals:detail", args=[approval_request.pk])


def _decision_links(approval_request: ApprovalRequest, seat: StepApprover, decider=None) -> dict:
    """One-click Approve / Decline links, signed now for this approver of this step (or their
    delegate) and this expiry."""
    return {
        f"{action}_url": absolute_url(
            reverse(
                "approvals:email_decision",
                args=[make_decision_token(
                    approval_request=approval_request, seat=seat, action=action, decider=decider
                )],
            )
        )
        for action in ("approve", "decline")
    }


def _step_values(approval_request: ApprovalRequest, step: RequestStep) -> dict:
    """Where the approver's step stands in the chain (the email says so when there are several)."""
    from .rules import steps_of

    steps = [s for s in steps_of(approval_request) if s.state != StepState.SKIPPED]
    position = next((i for i, s in enumerate(steps, start=1) if s.pk == step.pk), 1)
    return {
        "step_name": step.name,
        "step_number": position,
        "steps_total": len(steps),
        "step_rule": step.rule_display,
        "steps_passed": [s.name for s in steps if s.state == StepState.PASSED],
    }


def _resubmit_url(approval_request: ApprovalRequest) -> str:
    return absolute_url(reverse("approvals:resubmit", args=[approval_request.pk]))


def new_request_notification(approval_request: ApprovalRequest, seat: StepApprover, decider=None) -> dict:
    """To the seat's approver, or to ``decider``, the delegate deciding for them while away."""
    if approval_request.resubmission_of_id:
        # The caller's copy may predate its decline or expiry; the email says what it is now.
        approval_request.resubmission_of.refresh_from_db(fields=["state"])
    reader = decider or seat.approver
    on_behalf = {}
    key = f"approval-new:{approval_request.pk}:{seat.step_id}:{seat.approver_id}"
    title = f"{approval_request.requester} asks you to approve “{approval_request.title}”"
    if decider is not None:
        key += f":by:{decider.pk}"
        title += f" for {seat.approver} (away)"
        on_behalf = {"on_behalf_of_name": str(seat.approver)}
    return {
        "key": key,
        "kind": Kind.APPROVAL_NEW,
        "recipient": reader,
        "title": title,
        "link": _detail_path(approval_request),
        "template": "approvals/emails/new-request",
        "context": _context(
            approval_request, reader=reader, **_decision_links(approval_request, seat, decider),
            **_step_values(approval_request, seat.step), **on_behalf,
        ),
    }


def step_activated_notifications(approval_request: ApprovalRequest, step: RequestStep) -> list[dict]:
    """To each approver of a step that has just become active (the first when the request is
    created, the next when one passes): the details and their own one-click links. An approver
    who is out of office is told in-app, and their delegate gets the email and links. Reads the
    step's seats from the prefetched chain when the caller holds it."""
    from .delegation import Resolver

    if "approvers" in getattr(step, "_prefetched_objects_cache", {}):
        pending = (seat for seat in step.approvers.all() if seat.decision == Decision.PENDING)
        seats = sorted(pending, key=lambda seat: seat.pk)
    else:
        seats = list(
            StepApprover.objects.filter(step=step, decision=Decision.PENDING)
            .select_related("approver", "step").order_by("id")
        )
    resolver = Resolver(approval_request.company_id)
    deciders = {
        seat.pk: resolver.decider(seat.approver_id, requester_id=approval_request.requester_id)
        for seat in seats
    }
    people = User.objects.in_bulk({pk for seat in seats if (pk := deciders[seat.pk]) != seat.approver_id})
    notifications = []
    for seat in seats:
        decider = people.get(deciders[seat.pk])
        notifications.append(new_request_notification(approval_request, seat, decider))
        if decider is not None:
            notifications.append({
                "key": f"approval-delegated:{approval_request.pk}:{seat.step_id}:{seat.approver_id}",
                "kind": Kind.APPROVAL_DELEGATED, "recipient": seat.approver,
                "title": (
                    f"“{approval_request.title}” went to {decider}, who decides for you while you are away"
                ),
                "link": _detail_path(approval_request),
            })
    return notifications


def send_step_activated(approval_request: ApprovalRequest, step: RequestStep) -> list[Notification]:
    """step_activated_notifications, recorded; returns the approvers' (or delegates') rows."""
    return [
        notification
        for n in step_activated_notifications(approval_request, step)
        if (notification := notify(**n)).kind == Kind.APPROVAL_NEW
    ]


def send_reassigned(
    approval_request: ApprovalRequest, seat: StepApprover, *, previous, actor, reason: str
) -> None:
    """Staff moved a decision: both approvers are told in-app; the new one also gets the
    request with their links when their step is the one deciding now."""
    link = _detail_path(approval_request)
    notify(
        key=f"approval-reassigned:{approval_request.pk}:{seat.pk}:{previous.pk}:from",
        kind=Kind.APPROVAL_DELEGATED, recipient=previous, link=link,
        title=f"{actor} moved your decision on “{approval_request.title}” to {seat.approver}: {reason}",
    )
    notify(
        key=f"approval-reassigned:{approval_request.pk}:{seat.pk}:{seat.approver_id}:to",
        kind=Kind.APPROVAL_DELEGATED, recipient=seat.approver, link=link,
        title=f"{actor} moved the decision on “{approval_request.title}” from {previous} to you: {reason}",
    )
    if seat.step.state == StepState.ACTIVE:
        notify(**new_request_notification(approval_request, seat))


def send_delegation_started(period) -> None:
    """In-app to the delegate (what they now decide, from when to when) and to the approver;
    if the period is on now, the delegate also gets each waiting request with links."""
    from .delegation import Resolver

    when = f"{_when(period.delegate, period.starts_at)} to {_when(period.delegate, period.ends_at)}"
    dashboard = reverse("approvals:dashboard")
    notify(
        key=f"approval-delegated:period:{period.pk}:to", kind=Kind.APPROVAL_DELEGATED,
        recipient=period.delegate, link=dashboard,
        title=f"{period.approver} is away from {when}: you decide their approval requests",
    )
    notify(
        key=f"approval-delegated:period:{period.pk}:from", kind=Kind.APPROVAL_DELEGATED,
        recipient=period.approver, link=reverse("approvals:out_of_office"),
        title=f"While you are away ({when}), {period.delegate} decides your approval requests",
    )
    if not period.is_on():
        return
    company_id = period.approver.membership.company_id
    resolver = Resolver(company_id)
    seats = StepApprover.objects.filter(
        approver=period.approver, decision=Decision.PENDING, step__state=StepState.ACTIVE,
        request__state="pending", request__expires_at__gt=timezone.now(),
    ).select_related("step", "approver", "request__company", "request__requester",
                     "request__freelancer", "request__job")
    for seat in seats:
        decider_id = resolver.decider(seat.approver_id, requester_id=seat.request.requester_id)
        if decider_id != seat.approver_id:
            decider = User.objects.get(pk=decider_id)
            notify(**new_request_notification(seat.request, seat, decider))


def send_delegation_ended(period) -> None:
    """In-app to both: the approver's undecided decisions are theirs again."""
    notify(
        key=f"approval-delegated:period:{period.pk}:ended", kind=Kind.APPROVAL_DELEGATED,
        recipient=period.delegate, link=reverse("approvals:dashboard"),
        title=f"{period.approver} is back: their undecided approval requests went back to them",
    )


def _when(reader, moment) -> str:
    return format_for(reader, moment)


def send_new_request(approval_request: ApprovalRequest) -> list[Notification]:
    """To the undecided approvers of the request's active step."""
    step = approval_request.steps.get(state=StepState.ACTIVE)
    return send_step_activated(approval_request, step)


def step_passed_notification(
    approval_request: ApprovalRequest, passed: RequestStep, following: RequestStep
) -> dict:
    """In-app, to the requester: a step of their chain passed and the next one is deciding."""
    return {
        "key": f"approval-step-passed:{approval_request.pk}:{passed.pk}",
        "kind": Kind.APPROVAL_STEP_PASSED,
        "recipient": approval_request.requester,
        "title": (
            f"“{approval_request.title}”: the step “{passed.name}” approved; "
            f"now with “{following.name}”"
        ),
        "link": _detail_path(approval_request),
    }


def send_step_passed(
    approval_request: ApprovalRequest, passed: RequestStep, following: RequestStep
) -> list[int]:
    """A step passed: the requester is told, and the next step's approvers get the request
    (step_activated_notifications), all in one write."""
    return notify_many([
        step_passed_notification(approval_request, passed, following),
        *step_activated_notifications(approval_request, following),
    ])


def decision_notification(approval_request: ApprovalRequest) -> dict:
    verb = "declined" if approval_request.state == "declined" else "approved"
    return {
        "key": f"approval-decision:{approval_request.pk}",
        "kind": Kind.APPROVAL_DECISION,
        "recipient": approval_request.requester,
        "title": f"{approval_request.decided_by_names} {verb} your request “{approval_request.title}”",
        "link": _detail_path(approval_request),
        "template": "approvals/emails/decision",
        "context": _context(
            approval_request,
            reader=approval_request.requester,
            resubmit_url=_resubmit_url(approval_request),
            send_offer_url=absolute_url(
                f"{reverse('offers:offer_create')}?approval_request={approval_request.pk}"
            ),
        ),
    }


def send_decision(approval_request: ApprovalRequest) -> list[int]:
    """To the requester: approved or declined, with the approver's comment and the next step
    as a link (send the offer with this approval, or resubmit the declined request)."""
    return notify_many([decision_notification(approval_request)])


def expired_notification(approval_request: ApprovalRequest) -> dict:
    """The requester's notification that their request (or unused approval) expired.

    Its row keeps only the request's id: an expired request is final, so its email, rendered when
    it is sent from the live rows (``expired_email_contexts``), shows the terms it expired with.
    The expiry sweep writes thousands of these in one statement, so the row stays this small."""
    what = "approval for" if approval_request.decided_at else "request"
    return {
        "key": f"approval-expired:{approval_request.pk}",
        "kind": Kind.APPROVAL_EXPIRED,
        "recipient": approval_request.requester,
        "title": f"Your {what} “{approval_request.title}” expired",
        "link": _detail_path(approval_request),
        "template": EXPIRED_TEMPLATE,
        "context": {"approval_request_id": approval_request.pk},
    }


def expired_email_context(approval_request: ApprovalRequest) -> dict:
    """What the expired email reads, for the requester."""
    return _context(
        approval_request, reader=approval_request.requester, resubmit_url=_resubmit_url(approval_request)
    )


def expired_email_contexts(notifications: list[Notification]) -> dict[int, dict]:
    """The expired emails of a batch of notifications, from their requests: one query for the
    batch (registered for EXPIRED_TEMPLATE in apps.py). A row written before the email was built
    at send time carries its whole context and keeps it; a request that no longer exists is left
    out, so its email fails rather than going out empty."""
    ids = {n.context["approval_request_id"] for n in notifications if "approval_request_id" in n.context}
    requests = ApprovalRequest.objects.select_related(*EXPIRED_EMAIL_RELATED).in_bulk(ids)
    # Who was still to decide, for every request of the batch at once (the email names them).
    waiting = {pk: [] for pk in requests}
    for seat in StepApprover.objects.filter(
        request_id__in=list(requests), decision=Decision.PENDING, step__state=StepState.ACTIVE
    ).select_related("approver").order_by("id"):
        waiting[seat.request_id].append(str(seat.approver))
    for pk, approval_request in requests.items():
        approval_request._waiting_names = waiting[pk]
    contexts = {}
    for notification in notifications:
        if "approval_request_id" not in notification.context:
            contexts[notification.pk] = notification.context
        elif approval_request := requests.get(notification.context["approval_request_id"]):
            contexts[notification.pk] = expired_email_context(approval_request)
    return contexts


def send_expired(approval_request: ApprovalRequest) -> Notification:
    """To the requester: the request (or the unused approval) expired."""
    return notify(**expired_notification(approval_request))


def send_expired_to_each(approval_requests) -> list[int]:
    """The expiry sweep: every requester's notification in one INSERT."""
    return notify_many([expired_notification(approval_request) for approval_request in approval_requests])


def reminder_notification(seat: StepApprover, decider=None) -> dict:
    """``seat.request`` is the request, with its company, requester, freelancer and job;
    ``decider`` the delegate deciding for the seat's approver while they are away."""
    approval_request = seat.request
    reader = decider or seat.approver
    key = f"approval-reminder:{approval_request.pk}:{seat.approver_id}"
    return {
        "key": key + (f":by:{decider.pk}" if decider else ""),
        "kind": Kind.APPROVAL_REMINDER,
        "recipient": reader,
        "title": f"Reminder: decide “{approval_request.title}” before it expires",
        "link": _detail_path(approval_request),
        "template": "approvals/emails/reminder",
        "context": _context(
            approval_request, reader=reader, **_decision_links(approval_request, seat, decider),
            **_step_values(approval_request, seat.step),
            **({"on_behalf_of_name": str(seat.approver)} if decider else {}),
        ),
    }


def send_reminder(seat: StepApprover) -> Notification:
    """To an undecided approver of the active step, a day before a pending request expires,
    with their one-click links."""
    return notify(**reminder_notification(seat))


def send_reminder_to_each(seats, deciders: dict | None = None) -> list[int]:
    """The reminder scan: every approver's reminder (or their delegate's, from ``deciders``:
    seat id → User) in one INSERT."""
    deciders = deciders or {}
    return notify_many([reminder_notification(seat, deciders.get(seat.pk)) for seat in seats])


def send_cancelled_to_each(approval_request: ApprovalRequest, approvers) -> list[int]:
    """In-app, to the approvers who were asked to decide (the active step's undecided ones):
    the requester cancelled it. No email: their decision email's links now show it cancelled,
    and a second email about a request that needs nothing from them would be noise."""
    reason = f": {approval_request.cancel_reason}" if approval_request.cancel_reason else ""
    return notify_many([
        {
            "key": f"approval-cancelled:{approval_request.pk}:{approver.pk}",
            "kind": Kind.APPROVAL_CANCELLED,
            "recipient": approver,
            "title": f"{approval_request.requester} cancelled “{approval_request.title}”{reason}",
            "link": _detail_path(approval_request),
        }
        for approver in approvers
    ])


def _terms_values(approval_request: ApprovalRequest) -> dict:
    """The terms the email partials read (``_terms-text.html``), without the per-request queries
    of ``_values`` (set-based callers)."""
    return {
        "id": approval_request.pk,
        "title": approval_request.title,
        "freelancer_display": approval_request.freelancer_display,
        "offer_type_display": approval_request.get_offer_type_display(),
        "contract_type": approval_request.contract_type,
        "contract_type_display": approval_request.get_contract_type_display(),
        "amount": format_money(approval_request.amount, approval_request.currency),
        "weekly_hour_limit": approval_request.weekly_hour_limit,
        "start_date": _date(approval_request.start_date),
        "job_title": approval_request.job.title if approval_request.job_id else "",
        "justification": approval_request.justification,
        "requester_name": str(approval_request.requester),
        "company_name": approval_request.company.name,
    }


def escalation_notification(step: RequestStep, contact, *, waiting: list[str], days: int) -> dict:
    """``step.request`` is the request, with its company, requester, freelancer and job."""
    approval_request = step.request
    names = ", ".join(waiting) or "its approvers"
    return {
        "key": f"approval-escalated:{step.pk}:{contact.pk}",
        "kind": Kind.APPROVAL_ESCALATED,
        "recipient": contact,
        "title": f"Overdue: “{approval_request.title}” has waited over {days} days for {names}",
        "link": _detail_path(approval_request),
        "template": "approvals/emails/escalated",
        "context": {
            "approval_request": _terms_values(approval_request),
            "contact_short_name": contact.get_short_name(),
            "step_name": step.name,
            "waiting_names": names,
            "days": days,
            "activated_at": format_for(contact, step.activated_at),
            "expires_at": format_for(contact, approval_request.expires_at),
            "detail_url": absolute_url(_detail_path(approval_request)),
        },
    }


def send_escalations(notifications: list[dict]) -> list[int]:
    """The escalation scan: every contact's notification (in-app and email) in one INSERT."""
    return notify_many(notifications)


def send_offer_modified_to_approvers(
    approval_request: ApprovalRequest, *, offer_id: int, offer_title: str, offer_link: str, revision: int,
) -> list[int]:
    """In-app, to the approvers who approved the request an offer used: the offer was modified
    (the offers app passes the offer as plain values: approvals does not import offers)."""
    approvers = [
        seat.approver
        for seat in StepApprover.objects.filter(
            request_id=approval_request.pk, decision=Decision.APPROVED
        ).select_related("approver").order_by("id")
    ]
    return notify_many([
        {
            "key": f"approval-offer-modified:{offer_id}:{revision}:{approver.pk}",
            "kind": Kind.APPROVAL_OFFER_MODIFIED,
            "recipient": approver,
            "title": (
                f"{approval_request.requester} changed the offer “{offer_title}” that uses your "
                f"approval of “{approval_request.title}” (revision {revision})"
            ),
            "link": offer_link,
        }
        for approver in approvers
    ])
