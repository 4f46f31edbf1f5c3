"""Approval pages under My Jobs > Approvals, and the one-click email decision page."""

import csv
from urllib.parse import urlencode, urlsplit, urlunsplit

from django.contrib import messages
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.confirmations import confirmation_required
from accounts.decorators import client_required
from accounts.models import User
from accounts.pagecache import cached_for_reader
from accounts.search import search_term
from accounts.timezones import zone_of
from jobs.terms import format_money

from . import delegation, exports, reports, rules, selectors, services
from .forms import (
    ApprovalRequestForm,
    CancelForm,
    DecideManyForm,
    DecisionForm,
    OutOfOfficeForm,
    ReportPeriodForm,
)
from .models import ApprovalRequest
from .tokens import check_decision_token, read_decision_token

PAGE_SIZE = 20
# The dashboard's date column, per tab.
DATE_COLUMNS = {
    "pending": "Decide by", "approved": "Valid until", "declined": "Declined on",
    "expired": "Expired on", "cancelled": "Cancelled on", "used": "Used since",
}


def _render_not_available(request, reason, *, status=403):
    return render(
        request, "approvals/not_available.html",
        {"reason": reason, "nav_key": "approvals"}, status=status,
    )


@cached_for_reader
@client_required
def dashboard(request):
    """Tabs by state with counts, search by freelancer or title, newest first, paginated."""
    reason = rules.can_use_approvals(request.user)
    if reason:
        # The dashboard is in everyone's navigation: explaining is not a refusal.
        return _render_not_available(request, reason, status=200)
    tab = request.GET.get("tab", "pending")
    if tab not in selectors.TAB_STATES:
        tab = "pending"
    search = search_term(request, max_length=100)
    counts = selectors.approval_request_tab_counts(user=request.user, search=search)
    page = selectors.approval_requests_page(
        user=request.user, tab=tab, search=search, page_size=PAGE_SIZE, number=request.GET.get("page"),
        count=counts[tab],
    )
    for row in page.object_list:
        row.approvers_cell = selectors.approvers_cell(row, user=request.user)
    base = reverse("approvals:dashboard")
    tabs = [
        {
            "key": key, "label": label, "count": selectors.count_label(counts[key], search),
            "url": f"{base}?{urlencode({'tab': key, **({'q': search} if search else {})})}",
        }
        for key, label, _ in selectors.TABS
    ]
    return render(request, "approvals/dashboard.html", {
        "page": page, "tab": tab, "tabs": tabs, "search": search, "nav_key": "approvals",
        "date_column": DATE_COLUMNS[tab],
        "can_create": rules.can_create_request(request.user) is None,
        "is_approver": request.user.membership.is_approver,
    })


def _with_query(url: str, **params) -> str:
    parts = urlsplit(url)
    query = f"{parts.query}&{urlencode(params)}" if parts.query else urlencode(params)
    return urlunsplit(parts._replace(query=query))


def _request_form(request, *, resubmission_of=None):
    reason = rules.can_create_request(request.user)
    if reason:
        return _render_not_available(request, reason)
    if request.method == "POST":
        form = ApprovalRequestForm(request.POST, user=request.user)
    elif resubmission_of is not None:
        form = ApprovalRequestForm(
            user=request.user, initial=ApprovalRequestForm.initial_from_request(resubmission_of)
        )
    else:
        form = ApprovalRequestForm(
            user=request.user, initial=ApprovalRequestForm.initial_from_query(request.GET)
        )
    no_approver = "approver" in form.fields and not form.fields["approver"].queryset.exists()
    if request.method == "POST" and form.is_valid():
        try:
            approval_request = services.approval_request_create(
                requester=request.user, resubmission_of=resubmission_of, **form.service_kwargs()
            )
        except services.ApprovalError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, selectors.approval_request_sent_message(approval_request))
            next_url = form.cleaned_data.get("next", "")
            if next_url:
                return redirect(_with_query(next_url, approval_request=approval_request.pk))
            return redirect("approvals:detail", approval_request.pk)
    return render(request, "approvals/request_form.html", {
        "form": form, "resubmission_of": resubmission_of, "no_approver": no_approver,
        "nav_key": "approvals",
    })


@client_required
def create(request):
    """The Create Request form; GET parameters named like the fields prefill it."""
    return _request_form(request)


@client_required
def resubmit(request, pk):
    """A new request prefilled from the user's own declined, expired or cancelled one, linked to it."""
    previous = selectors.approval_request_to_resubmit(user=request.user, approval_request_id=pk)
    return _request_form(request, resubmission_of=previous)


def _detail_context(request, approval_request, *, decision_form=None, cancel_form=None) -> dict:
    refusal = rules.can_decide(request.user, approval_request)
    can_decide = refusal is None
    # An approver of a later step (or one whose step already passed) is told where it stands.
    is_approver = any(seat.approver_id == request.user.pk for seat in rules.seats_of(approval_request))
    previous = approval_request.resubmission_of
    return {
        "approval_request": approval_request,
        "changes_since_previous": (
            selectors.approval_request_changes(previous=previous, current=approval_request)
            if previous is not None else None
        ),
        "can_decide": can_decide,
        "can_resubmit": rules.can_resubmit(request.user, approval_request) is None,
        "can_cancel": rules.can_cancel(request.user, approval_request) is None,
        "cancel_form": cancel_form or CancelForm(),
        "can_send_offer": rules.can_use_for_offer(request.user, approval_request) is None,
        "decision_form": (decision_form or DecisionForm()) if can_decide else None,
        "approvers_cell": selectors.approvers_cell(approval_request, user=request.user),
        "waiting_refusal": refusal if is_approver and not can_decide else "",
        "nav_key": "approvals",
    }


@cached_for_reader
@client_required
def detail(request, pk):
    approval_request = selectors.approval_request_for_user(user=request.user, approval_request_id=pk)
    return render(request, "approvals/detail.html", _detail_context(request, approval_request))


def _confirm_decline(request, approval_request, *, comment, cancel_url, nav_key=""):
    """Declining is final (the requester can only resubmit): confirm it; approving stays one click."""
    return confirmation_required(
        request, title="Decline this request?",
        message=(
            f"You are about to decline “{approval_request.title}” for "
            f"{approval_request.freelancer_display}. {approval_request.requester} will be told, "
            "and a declined request cannot be approved later."
        ),
        button="Yes, decline", cancel_url=cancel_url, details=[("Your comment", comment)], nav_key=nav_key,
    )


@require_POST
@client_required
def decide(request, pk):
    """Approve or decline from the request page (the approver only).

    A comment the form refuses (too long) is shown again with the message, so nothing typed
    is lost and nothing changes. An approval asks no confirmation, so the service reads the
    request once, under its lock, and answers 404 as the page does for a request the user may
    not see; a decline reads it first, for the confirmation.
    """
    form = DecisionForm(request.POST)
    if form.is_valid() and form.cleaned_data["decision"] == "approve":
        try:
            decided = services.approval_request_approve(
                approval_request_id=pk, actor=request.user, comment=form.cleaned_data["comment"],
                must_see=True,
            )
        except services.NotVisible:
            raise Http404("No approval request matches the given query.") from None
        except services.ApprovalError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, selectors.decision_done_message(decided, actor=request.user))
        return redirect("approvals:detail", pk)
    if not form.is_valid():
        approval_request = selectors.approval_request_for_user(user=request.user, approval_request_id=pk)
        context = _detail_context(request, approval_request, decision_form=form)
        if "comment" in form.errors and context["can_decide"]:
            return render(request, "approvals/detail.html", context, status=400)
        messages.error(request, "Choose Approve or Decline.")
        return redirect("approvals:detail", approval_request.pk)
    approval_request = selectors.approval_request_to_decide(user=request.user, approval_request_id=pk)
    # A decline. The service checks the rule under the row lock; asking here only spares a
    # confirmation page for a decline that would be refused anyway.
    if rules.can_decide(request.user, approval_request) is None:
        confirmation = _confirm_decline(
            request, approval_request, comment=form.cleaned_data["comment"],
            cancel_url=reverse("approvals:detail", args=[approval_request.pk]), nav_key="approvals",
        )
        if confirmation:
            return confirmation
    try:
        decided = services.approval_request_decline(
            approval_request_id=approval_request.pk, actor=request.user, comment=form.cleaned_data["comment"],
        )
    except services.ApprovalError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, selectors.decision_done_message(decided, actor=request.user))
    return redirect("approvals:detail", approval_request.pk)


def _bulk_item(approval_request) -> str:
    """One request as the bulk confirmation lists it."""
    amount = format_money(
        approval_request.amount, approval_request.currency, approval_request.contract_type
    )
    return (
        f"#{approval_request.pk} {approval_request.title}: {approval_request.freelancer_display}, "
        f"{amount}, requested by {approval_request.requester}"
    )


def _confirm_decide_many(request, *, decision: str, awaiting: list, selected: list[int], comment: str):
    """One confirmation for the whole selection, approve or decline, listing what will be
    decided: several decisions at once are worth a second look, which approving one is not."""
    count = len(awaiting)
    noun = f"{count} request{'' if count == 1 else 's'}"
    verb = "approve" if decision == "approve" else "decline"
    message = f"You are about to {verb} {noun}; each requester will be told."
    if decision == "decline":
        message += " A declined request cannot be approved later."
    others = len(selected) - count
    if others:
        message += (
            f" {others} other selected request{'s' if others > 1 else ''} cannot be decided by "
            "you; the result will say why."
        )
    return confirmation_required(
        request, title=f"{verb.capitalize()} {noun}?", message=message,
        button=f"Yes, {verb} {noun}", cancel_url=f"{reverse('approvals:dashboard')}?tab=pending",
        details=[("Your comment", comment)], nav_key="approvals",
        button_class="primary" if decision == "approve" else "danger",
        items=[_bulk_item(approval_request) for approval_request in awaiting],
        items_label=f"To {verb}",
    )


@require_POST
@client_required
def decide_many(request):
    """Approve or decline the requests ticked on the Pending tab, with one comment, after one
    confirmation; then a page lists what was decided and each refusal with its reason.

    A refused form (nothing ticked, too many, a comment too long) is shown again with the
    requests of that page that await the user, the ticks and the comment kept; nothing changes.
    """
    reason = rules.can_use_approvals(request.user)
    if reason:
        return _render_not_available(request, reason)
    form = DecideManyForm(request.POST)
    if not form.is_valid():
        offered = set(form.cleaned_data.get("page_ids", [])) | set(form.cleaned_data.get("ids", []))
        ticked = set(form.cleaned_data.get("selected", form.cleaned_data.get("ids", [])))
        awaiting = selectors.approval_requests_awaiting_decision(
            user=request.user, ids=sorted(offered)[:services.BULK_DECISION_LIMIT]
        )
        return render(request, "approvals/decide_many.html", {
            "form": form, "awaiting": awaiting, "ticked": ticked, "nav_key": "approvals",
        }, status=400)
    decision, comment = form.cleaned_data["decision"], form.cleaned_data["comment"]
    selected = form.cleaned_data["selected"]
    awaiting = selectors.approval_requests_awaiting_decision(user=request.user, ids=selected)
    if awaiting:  # with nothing decidable, nothing changes: straight to the reasons
        confirmation = _confirm_decide_many(
            request, decision=decision, awaiting=awaiting, selected=selected, comment=comment
        )
        if confirmation:
            return confirmation
    result = services.approval_requests_decide_many(
        ids=selected, actor=request.user, decision=decision, comment=comment
    )
    return render(request, "approvals/decide_many_result.html", {
        "result": result, "comment": comment, "nav_key": "approvals",
    })


@require_POST
@client_required
def cancel(request, pk):
    """The requester cancels their pending request, with an optional reason, after one
    confirmation. A reason the form refuses (too long) is shown again, nothing changed."""
    approval_request = selectors.approval_request_for_user(user=request.user, approval_request_id=pk)
    form = CancelForm(request.POST)
    if not form.is_valid():
        context = _detail_context(request, approval_request, cancel_form=form)
        return render(request, "approvals/detail.html", context, status=400)
    reason = form.cleaned_data["reason"]
    if rules.can_cancel(request.user, approval_request) is None:
        confirmation = confirmation_required(
            request, title="Cancel this request?",
            message=(
                f"You are about to cancel “{approval_request.title}” for "
                f"{approval_request.freelancer_display}. Its approvers will be told, and a cancelled "
                "request cannot be decided; you can resubmit a copy later."
            ),
            button="Yes, cancel the request",
            cancel_url=reverse("approvals:detail", args=[approval_request.pk]),
            details=[("Your reason", reason)], nav_key="approvals",
        )
        if confirmation:
            return confirmation
    try:
        services.approval_request_cancel(
            approval_request_id=approval_request.pk, actor=request.user, reason=reason
        )
    except services.ApprovalError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Request cancelled. Its approvers have been told.")
    return redirect("approvals:detail", approval_request.pk)


def email_decision(request, token):
    """The one-click link from the approver's email.

    GET checks the token and shows the request with a confirm button, changing nothing
    (mail scanners open links). POST acts as the approver named in the token, signed in or
    not. If someone else is signed in, it refuses. A tampered link says so and shows no
    request; a used or expired one shows the request's current state.
    """
    if request.method == "POST":
        done = _email_approval_at_once(request, token)
        if done is not None:
            return done
    check = check_decision_token(token)
    context = {"check": check, "approval_request": check.approval_request, "token": token}
    if check.status == "invalid":
        return render(request, "approvals/email_decision.html", context, status=400)
    if request.user.is_authenticated and request.user.pk != check.approver_id:
        context["wrong_user"] = True
        return render(request, "approvals/email_decision.html", context, status=403)
    if check.status == "used":
        # Say who decided and when: this approver, or the others of their step, or someone
        # who declined the request; and the chain as it stands.
        context["decision"] = selectors.approval_request_decision(
            approval_request_id=check.approval_request.pk, seat=check.seat
        )
    # The person the link was sent to: the approver, or their delegate while they are away.
    approver = (
        request.user if request.user.is_authenticated
        else User.objects.select_related("membership").get(pk=check.approver_id)
    )
    if check.ok and check.seat.approver_id != approver.pk:
        context["on_behalf_of"] = check.seat.approver
    if check.status == "early" or (check.ok and (request.method != "POST" or check.action == "decline")):
        # They may have lost the right to decide since it was sent (role, delegation ended).
        # An approval posted is checked by the service alone, under the row lock.
        context["refusal"] = rules.can_decide(approver, check.approval_request)
    if not check.ok or request.method != "POST":
        context["form"] = DecisionForm(initial={"decision": check.action})
        return render(request, "approvals/email_decision.html", context)
    # The action is the link's; the form only checks the comment (length, no NUL), and a
    # refused comment is shown again on the confirm page, nothing changed.
    form = DecisionForm({"decision": check.action, "comment": request.POST.get("comment", "")})
    if not form.is_valid():
        context["form"] = form
        context.setdefault("refusal", rules.can_decide(approver, check.approval_request))
        return render(request, "approvals/email_decision.html", context, status=400)
    comment = form.cleaned_data["comment"]
    if check.action == "decline" and context["refusal"] is None:
        confirmation = _confirm_decline(
            request, check.approval_request, comment=comment,
            cancel_url=reverse("approvals:email_decision", args=[token]),
        )
        if confirmation:
            return confirmation
    try:
        decided = services.approval_request_decide(
            approval_request_id=check.approval_request.pk, actor=approver,
            decision=check.action, comment=comment,
        )
    except services.ApprovalError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, selectors.decision_done_message(decided, actor=approver, from_email=True))
    return redirect("approvals:email_decision", token)


def _email_approval_at_once(request, token):
    """An approval posted from a link that is genuine, unexpired and the signed-in person's (or
    nobody's), with a comment the form takes: decided without reading the link's request first.

    The decision service reads the chain under the request's lock anyway, and is told which seat
    the link is for: it decides that seat only if it is open and the actor's to decide. Anything
    else returns None and the page answers as for any other POST: it checks the link (a used,
    early, moved or expired link shows the request's state), so a refused approval here changes
    nothing and reads the same. A link still good whose approval the service refused (the person
    lost the right to decide) gets the service's reason, without deciding a second time.
    """
    link = read_decision_token(token)
    if link is None or link.action != "approve" or link.seat is None or link.is_past_expiry:
        return None
    signed_in = request.user.is_authenticated
    if signed_in and request.user.pk != link.approver_id:
        return None
    form = DecisionForm({"decision": "approve", "comment": request.POST.get("comment", "")})
    if not form.is_valid():
        return None
    approver = (
        request.user if signed_in
        else User.objects.select_related("membership").filter(pk=link.approver_id).first()
    )
    if approver is None:
        return None
    try:
        decided = services.approval_request_approve(
            approval_request_id=link.request_id, actor=approver, comment=form.cleaned_data["comment"],
            seat=link.seat,
        )
    except ApprovalRequest.DoesNotExist:
        return None
    except services.ApprovalError as exc:
        if not check_decision_token(token).ok:
            return None
        messages.error(request, str(exc))
        return redirect("approvals:email_decision", token)
    messages.success(request, selectors.decision_done_message(decided, actor=approver, from_email=True))
    return redirect("approvals:email_decision", token)


@client_required
def out_of_office(request):
    """Set a period away and a delegate; see and end one's periods, and those delegated to you."""
    membership = request.user.membership
    if not membership.is_approver:
        return _render_not_available(
            request, "Out of office is for approvers: their decisions go to a delegate while they are away."
        )
    form = OutOfOfficeForm(request.POST or None, user=request.user)
    if request.method == "POST" and "end" in request.POST:
        try:
            period = delegation.out_of_office_end(
                approver=request.user, period_id=int(request.POST.get("end") or 0)
            )
        except (delegation.DelegationError, ValueError) as exc:
            messages.error(request, str(exc) if isinstance(exc, delegation.DelegationError)
                           else "That out-of-office period is not yours, or no longer exists.")
        else:
            messages.success(
                request, f"Out of office ended: your undecided requests are yours again, and "
                f"{period.delegate} has been told."
            )
        return redirect("approvals:out_of_office")
    if request.method == "POST" and form.is_valid():
        try:
            period = delegation.out_of_office_set(
                approver=request.user, delegate=form.cleaned_data["delegate"],
                starts_at=form.cleaned_data["starts_at"], ends_at=form.cleaned_data["ends_at"],
            )
        except delegation.DelegationError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, f"Out of office set: {period.delegate} decides your approval requests "
                "during that time, and has been told."
            )
            return redirect("approvals:out_of_office")
    return render(request, "approvals/out_of_office.html", {
        "form": form, "periods": delegation.periods_of(request.user), "nav_key": "approvals",
    })


class _Echo:
    """A file-like object for csv.writer that hands each written line back to the caller."""

    def write(self, value):
        return value


@client_required
def export_csv(request):
    """The dashboard's current tab and search as CSV, streamed (see approvals.exports)."""
    reason = rules.can_use_approvals(request.user)
    if reason:
        return _render_not_available(request, reason)
    tab = request.GET.get("tab", "pending")
    if tab not in selectors.TAB_STATES:
        tab = "pending"
    search = search_term(request, max_length=100)
    writer = csv.writer(_Echo())
    rows = exports.request_rows(user=request.user, tab=tab, search=search)
    response = StreamingHttpResponse(
        (writer.writerow(row) for row in rows), content_type="text/csv; charset=utf-8"
    )
    today = timezone.localdate(timezone=zone_of(request.user))
    response["Content-Disposition"] = f'attachment; filename="approvals-{tab}-{today.isoformat()}.csv"'
    return response


def report_context(*, data: dict, scope, zone) -> tuple[ReportPeriodForm, dict]:
    """The period form and, when it is valid, the figures (shared with the admin's report).
    Days left empty take their defaults, which the form then shows."""
    today = timezone.localdate(timezone=zone)
    form = ReportPeriodForm(data, today=today)
    if not form.is_valid():
        return form, {"figures": None}
    start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    form = ReportPeriodForm({"start": start.isoformat(), "end": end.isoformat()}, today=today)
    form.is_valid()
    since, until = reports.period_bounds(start, end, zone=zone)
    rows = reports.approver_figures(scope=scope, since=since, until=until)
    return form, {"figures": rows, "start": start, "end": end}


@client_required
def reports_page(request):
    """My Jobs > Approvals > Reports: how each approver decides over a period (default: the last
    30 days). Company-wide for approvers, the reader's own requests for hiring managers."""
    reason = rules.can_use_approvals(request.user)
    scope = reports.report_scope(request.user)
    if reason or scope is None:
        return _render_not_available(request, reason or "Reports are for approvers and hiring managers.")
    data = {key: request.GET[key] for key in ("start", "end") if request.GET.get(key, "").strip()}
    form, context = report_context(data=data, scope=scope, zone=zone_of(request.user))
    return render(request, "approvals/reports.html", {
        "form": form, "scope": scope, "nav_key": "approvals", **context,
    }, status=400 if form.errors else 200)
