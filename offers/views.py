import datetime
import secrets
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.confirmations import confirmation_required
from accounts.decorators import client_required, freelancer_required
from accounts.pagecache import cached_for_reader
from accounts.pagination import IdsFirst, capped_label, capped_page
from accounts.search import search_term
from approvals.models import State as ApprovalState
from approvals.selectors import approval_request_terms, approvers_cell

from . import rules, selectors, services
from .forms import REQUEST_APPROVAL, OfferDeclineForm, OfferForm, OfferTermsForm
from .models import Offer

# Fields the offer form accepts as GET prefill and carries through "Request approval".
OFFER_FIELDS = [
    "offer_type", "title", "job", "freelancer", "freelancer_name", "freelancer_email",
    "contract_type", "amount", "currency", "weekly_hour_limit", "start_date", "message",
]
# Offers typed before "Request approval", kept in the session until the manager comes back.
DRAFTS_SESSION_KEY = "offer_drafts"
MAX_DRAFTS = 5
# The same drafts once their approval request exists, by request id, for the later "Send the
# offer" links (the approved email, the request page), which carry only the request's id.
REQUEST_DRAFTS_SESSION_KEY = "offer_drafts_by_request"
MAX_REQUEST_DRAFTS = 20
# What the approvals request form is prefilled with (its query parameters).
APPROVAL_PREFILL_FIELDS = [
    "title", "job", "freelancer", "freelancer_name", "freelancer_email", "offer_type",
    "contract_type", "amount", "currency", "weekly_hour_limit", "start_date",
]


# Offers: lists.


def _tabs(tab_labels, counts, search):
    def url(key):
        return "?" + urlencode({"tab": key, **({"q": search} if search else {})})

    return [
        {"label": label, "url": url(key), "key": key, "count": capped_label(counts[key], selectors.COUNT_CAP)}
        for key, label in tab_labels
    ]


def _offer_list_page(request, *, selector, tab_labels, default_tab):
    tab = request.GET.get("tab", default_tab)
    if tab not in dict(tab_labels):
        tab = default_tab
    search = search_term(request)
    offers, counts = selector(user=request.user, tab=tab, search=search)
    page = capped_page(
        IdsFirst(offers), 20, request.GET.get("page"), count=counts[tab], cap=selectors.COUNT_CAP
    )
    return {
        "page": page, "tab": tab, "search": search, "tabs": _tabs(tab_labels, counts, search),
        # For the empty state: "no offers at all" is not the same as "none in this tab".
        "total": capped_label(counts["all"], selectors.COUNT_CAP), "tab_label": dict(tab_labels)[tab],
    }


@cached_for_reader
@client_required
def offer_list(request):
    context = _offer_list_page(
        request, selector=selectors.offers_for_company, tab_labels=selectors.OFFER_TABS, default_tab="sent"
    )
    approvals_enabled = request.user.membership.company.approvals_enabled
    return render(
        request, "offers/offer_list.html",
        {
            **context, "approvals_enabled": approvals_enabled, "nav_key": "offers",
            "can_send_offer": rules.can_send_offer(request.user) is None,
        },
    )


FREELANCER_TABS = [
    ("all", "All"), ("sent", "Awaiting your answer"), ("accepted", "Accepted"),
    ("declined", "Declined"), ("withdrawn", "Withdrawn"),
]


@cached_for_reader
@freelancer_required
def freelancer_offers(request):
    context = _offer_list_page(
        request, selector=selectors.offers_for_freelancer, tab_labels=FREELANCER_TABS, default_tab="all"
    )
    return render(request, "offers/freelancer_offer_list.html", {**context, "nav_key": "my-offers"})


# Offers: sending.


def _iso_date(value: str) -> str:
    try:
        return datetime.date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        return ""


def _entered_offer_fields(data) -> dict:
    """What the manager typed, as query parameters (blank ones left out)."""
    fields = {name: data.get(name, "").strip() for name in OFFER_FIELDS}
    fields["start_date"] = _iso_date(fields["start_date"]) if fields["start_date"] else ""
    return {name: value for name, value in fields.items() if value}


def _save_draft(request, fields: dict) -> str:
    """Keep what the manager typed in the session under a fresh token; the newest few drafts
    are kept, so two offers drafted in two tabs each come back with their own fields."""
    drafts = request.session.get(DRAFTS_SESSION_KEY, {})
    token = secrets.token_urlsafe(8)
    drafts[token] = fields
    request.session[DRAFTS_SESSION_KEY] = dict(list(drafts.items())[-MAX_DRAFTS:])
    return token


def _draft(request) -> dict:
    fields = request.session.get(DRAFTS_SESSION_KEY, {}).get(request.GET.get("draft", ""))
    return {name: fields[name] for name in OFFER_FIELDS if name in fields} if isinstance(fields, dict) else {}


def _keep_draft_for_request(request, approval_request) -> None:
    """Coming back from "Request approval" (``?draft=&approval_request=``): keep the draft under
    the new request's id, so that the approved email's link, or the request page's "Send the
    offer", brings back what was typed (the message above all), not only the approved terms.

    The session is the simplest home: it needs no migration and keeps offer drafts out of the
    approvals app (which may not import offers). A link opened in another browser gets the
    approved terms without the message.
    """
    fields = _draft(request)
    if approval_request is None or not fields:
        return
    drafts = request.session.get(REQUEST_DRAFTS_SESSION_KEY, {})
    drafts[str(approval_request.pk)] = fields
    request.session[REQUEST_DRAFTS_SESSION_KEY] = dict(list(drafts.items())[-MAX_REQUEST_DRAFTS:])


def _draft_for_request(request, approval_request_id) -> dict:
    fields = request.session.get(REQUEST_DRAFTS_SESSION_KEY, {}).get(str(approval_request_id))
    return {name: fields[name] for name in OFFER_FIELDS if name in fields} if isinstance(fields, dict) else {}


def _request_approval_url(request) -> str:
    """The approvals request form, prefilled from the offer, that comes back here afterwards.

    What the manager typed waits in the session (``?draft=<token>``), not in the URL: a long
    message, encoded twice in ``next``, made a request line longer than servers accept
    (gunicorn refuses lines over 4094 bytes). The approvals create view redirects to ``next``
    with ``approval_request=<id>`` appended.
    """
    entered = _entered_offer_fields(request.POST)
    params = {name: entered.get(name, "") for name in APPROVAL_PREFILL_FIELDS}
    params["justification"] = ""
    draft = _save_draft(request, entered)
    params["next"] = reverse("offers:offer_create") + "?" + urlencode({"draft": draft})
    return reverse("approvals:create") + "?" + urlencode(params)


def _terms_of_request(approval_request) -> dict:
    """An offer prefilled with what the approver approved, using that approval."""
    return {**approval_request_terms(approval_request), "approval_request": approval_request.pk}


def _usable_approval(user, approval_request_id):
    try:
        return selectors.usable_approvals_for_manager(user=user).filter(pk=int(approval_request_id)).first()
    except (TypeError, ValueError):
        return None


def _prefill(request) -> dict:
    """GET prefill: a draft saved before "Request approval", every offer field as a query
    parameter, plus ``approval_request``. An approval alone (a "Send offer" link from the
    request page) fills the offer with the approved terms."""
    typed = {name: request.GET[name] for name in OFFER_FIELDS if request.GET.get(name)}
    initial = {**_draft(request), **typed}
    approval_request = _usable_approval(request.user, request.GET.get("approval_request"))
    if approval_request is not None:
        # The approved terms, with what was typed before "Request approval" (the message).
        initial = initial or {
            **_draft_for_request(request, approval_request.pk), **_terms_of_request(approval_request),
        }
        initial["approval_request"] = approval_request.pk
    return initial


def _confirmed_differences(request) -> list[str]:
    """The differences the manager saw listed and confirmed with "Send anyway"."""
    return request.POST.getlist("confirmed_differences") if request.POST.get("send_anyway") else []


@client_required
def offer_create(request):
    """Send an offer. Without JavaScript: "Request approval" (the button, or the drop-down
    choice) redirects to the approvals form; "Use the request's terms" refills the form."""
    refusal = rules.can_send_offer(request.user)
    if refusal:
        messages.error(request, refusal)
        return redirect("offers:offer_list")
    approvals_enabled = request.user.membership.company.approvals_enabled
    differences, pending_request = [], None
    if request.method == "POST":
        action = request.POST.get("action", "send") if approvals_enabled else "send"
        if approvals_enabled and (
            action == "request_approval" or request.POST.get("approval_request") == REQUEST_APPROVAL
        ):
            return redirect(_request_approval_url(request))
        approval_request = _usable_approval(request.user, request.POST.get("approval_request"))
        if approvals_enabled and action == "fill" and approval_request is not None:
            form = OfferForm(user=request.user, initial={
                **_entered_offer_fields(request.POST), **_terms_of_request(approval_request),
            })
        else:
            form = OfferForm(request.POST, user=request.user)
            if action == "fill":
                form.add_error("approval_request", "Choose an approved request to copy its terms.")
            elif form.is_valid():
                confirmed = _confirmed_differences(request)
                try:
                    offer = services.offer_send(
                        sent_by=request.user, confirmed_differences=confirmed, **form.offer_kwargs()
                    )
                except services.OfferDifferencesError as exc:
                    differences = exc.differences
                except services.OfferError as exc:
                    form.add_error(None, str(exc))
                else:
                    messages.success(request, f"Offer “{offer.title}” sent to {offer.freelancer_display}.")
                    return redirect("offers:offer_detail", offer_id=offer.pk)
    else:
        form = OfferForm(user=request.user, initial=_prefill(request))
        if approvals_enabled and request.GET.get("approval_request"):
            pending_request = selectors.approval_request_of_manager(
                user=request.user, approval_request_id=request.GET["approval_request"]
            )
            _keep_draft_for_request(request, pending_request)
    return render(request, "offers/offer_form.html", {
        "form": form,
        "approvals_enabled": approvals_enabled,
        "differences": differences,
        "returned_request": pending_request,
        "returned_request_waiting": (
            approvers_cell(pending_request, user=request.user)["names"] if pending_request else ""
        ),
        "approval_states": ApprovalState,
        "nav_key": "offers",
    })


# Offers: one offer.


def _modify_initial(offer: Offer) -> dict:
    return {name: getattr(offer, name) for name in OfferTermsForm.base_fields}


def _approval_differences(offer: Offer) -> list[str]:
    """How the offer's current terms differ from what its approver approved (the manager
    confirmed these when sending or modifying): the client side sees them on the offer page."""
    if offer.approval_request_id is None:
        return []
    return services.offer_approval_differences(
        approval_request=offer.approval_request, offer_type=offer.offer_type, freelancer=offer.freelancer,
        freelancer_name=offer.freelancer_name, freelancer_email=offer.freelancer_email,
        contract_type=offer.contract_type, amount=offer.amount, currency=offer.currency,
        weekly_hour_limit=offer.weekly_hour_limit, start_date=offer.start_date,
    )


def _request_approval_of_terms_url(offer: Offer, terms: dict) -> str:
    """The approvals form prefilled with the offer's new terms, coming back to the offer page with
    the modification still typed (``modify-*``) and the new request preselected."""
    back = reverse("offers:offer_detail", args=[offer.pk]) + "?" + urlencode({
        f"modify-{name}": value.isoformat() if isinstance(value, datetime.date) else value
        for name, value in terms.items() if value not in (None, "")
    })
    params = {
        "title": terms["title"], "job": offer.job_id or "", "offer_type": offer.offer_type,
        "freelancer": offer.freelancer_id or "",
        "freelancer_name": "" if offer.freelancer_id else offer.freelancer_name,
        "freelancer_email": "" if offer.freelancer_id else offer.freelancer_email,
        "contract_type": terms["contract_type"], "amount": terms["amount"], "currency": terms["currency"],
        "weekly_hour_limit": terms["weekly_hour_limit"] or "",
        "start_date": terms["start_date"].isoformat(),
        "justification": f"New terms for the offer “{offer.title}” (revision {offer.revision}).",
        "next": back,
    }
    return reverse("approvals:create") + "?" + urlencode(params)


def _render_offer(
    request, offer, *, modify_form=None, decline_form=None, differences=(), status=200,
    approval_reasons=(), covering_approvals=(), request_approval_url="", chosen_approval="",
):
    user = request.user
    membership = user.membership_or_none
    is_client_view = membership is not None and membership.company_id == offer.company_id
    context = {
        "offer": offer,
        "revisions": list(offer.revisions.all()),
        "is_client_view": is_client_view,
        "can_modify": is_client_view and rules.can_modify(user, offer) is None,
        "can_withdraw": is_client_view and rules.can_withdraw(user, offer) is None,
        # Accept and Decline are one answer: shown together.
        "can_answer": not is_client_view and rules.can_accept(user, offer) is None,
        "modify_form": modify_form or OfferTermsForm(initial=_modify_initial(offer), prefix="modify"),
        "modify_open": modify_form is not None,
        "decline_form": decline_form or OfferDeclineForm(),
        "decline_open": decline_form is not None,
        "differences": differences,
        # A modification beyond the policy's tolerance: why, the approvals that cover it, and
        # where to request one.
        "approval_reasons": approval_reasons,
        "covering_approvals": covering_approvals,
        "request_approval_url": request_approval_url,
        "chosen_approval": str(chosen_approval),
        "approval_differences": _approval_differences(offer) if is_client_view else [],
        "approval_url": (
            reverse("approvals:detail", args=[offer.approval_request_id])
            if offer.approval_request_id else None
        ),
        "nav_key": "offers" if is_client_view else "my-offers",
    }
    return render(request, "offers/offer_detail.html", context, status=status)


@login_required
def offer_detail(request, offer_id):
    """The offer. Coming back from requesting approval of a modification, the modify form opens
    with the terms typed before (``modify-*``) and the new request (``approval_request``) chosen."""
    offer = selectors.offer_for_viewer(user=request.user, offer_id=offer_id)
    typed = {
        name: request.GET[f"modify-{name}"] for name in OfferTermsForm.base_fields
        if request.GET.get(f"modify-{name}")
    }
    if not typed:
        return _render_offer(request, offer)
    form = OfferTermsForm(initial={**_modify_initial(offer), **typed}, prefix="modify")
    chosen = request.GET.get("approval_request", "")
    return _render_offer(request, offer, modify_form=form, chosen_approval=chosen)


@require_POST
@client_required
def offer_modify(request, offer_id):
    offer = selectors.offer_for_company(user=request.user, offer_id=offer_id)
    form = OfferTermsForm(request.POST, prefix="modify")
    differences, needs_approval = [], {}
    chosen = request.POST.get("new_approval_request", "")
    if form.is_valid():
        confirmed = _confirmed_differences(request)
        try:
            offer = services.offer_modify(
                offer_id=offer.pk, modified_by=request.user, confirmed_differences=confirmed,
                new_approval_request_id=int(chosen) if chosen.isdigit() else None, **form.terms()
            )
        except services.OfferNeedsApprovalError as exc:
            needs_approval = {
                "approval_reasons": exc.reasons,
                "covering_approvals": selectors.approvals_covering(
                    user=request.user, offer=offer, terms=form.terms()
                ),
                "request_approval_url": _request_approval_of_terms_url(offer, form.terms()),
            }
        except services.OfferDifferencesError as exc:
            differences = exc.differences
        except services.OfferError as exc:
            offer.refresh_from_db()
            if rules.can_modify(request.user, offer) is None:
                form.add_error(None, str(exc))  # shown on the modify form, which stays open
            else:
                messages.error(request, str(exc))  # the form is gone: say it at the top
        else:
            messages.success(request, f"Offer changed: revision {offer.revision} sent to the freelancer.")
            return redirect("offers:offer_detail", offer_id=offer.pk)
    offer = selectors.offer_for_viewer(user=request.user, offer_id=offer.pk)
    if differences and chosen:
        # Confirming differences from a newly chosen approval: keep that choice on the form.
        needs_approval = {
            "covering_approvals": selectors.approvals_covering(
                user=request.user, offer=offer, terms=form.terms()
            ),
        }
    return _render_offer(
        request, offer, modify_form=form, differences=differences, chosen_approval=chosen,
        **needs_approval,
    )


def _approval_outcome(offer: Offer) -> str:
    if offer.approval_request_id is None:
        return ""
    if offer.approval_request.state == ApprovalState.EXPIRED:
        return " Its approval had run past its validity, so it expired."
    return " Its approval is available again for another offer."


@require_POST
@client_required
def offer_withdraw(request, offer_id):
    offer = selectors.offer_for_company(user=request.user, offer_id=offer_id)
    if rules.can_withdraw(request.user, offer) is None:
        confirmation = confirmation_required(
            request, title="Withdraw this offer?",
            message=(
                f"You are about to withdraw “{offer.title}” sent to {offer.freelancer_display}. "
                "They will be told, and a withdrawn offer cannot be sent again."
            ),
            button="Yes, withdraw", cancel_url=reverse("offers:offer_detail", args=[offer.pk]),
            nav_key="offers",
        )
        if confirmation:
            return confirmation
    try:
        offer = services.offer_withdraw(offer_id=offer.pk, withdrawn_by=request.user)
    except services.OfferError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Offer withdrawn." + _approval_outcome(offer))
    return redirect("offers:offer_detail", offer_id=offer.pk)


@require_POST
@freelancer_required
def offer_accept(request, offer_id):
    offer = selectors.offer_for_freelancer(user=request.user, offer_id=offer_id)
    try:
        # The revision the page showed: accepting binds to those terms, not to a later change.
        revision = int(request.POST["revision"]) if request.POST.get("revision") else None
    except ValueError:
        revision = 0  # a tampered value matches no revision: refused, nothing changes
    try:
        services.offer_accept(offer_id=offer.pk, freelancer=request.user, revision=revision)
    except services.OfferError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"You accepted the offer from {offer.company.name}. The contract is on.")
    return redirect("offers:offer_detail", offer_id=offer.pk)


@require_POST
@freelancer_required
def offer_decline(request, offer_id):
    offer = selectors.offer_for_freelancer(user=request.user, offer_id=offer_id)
    form = OfferDeclineForm(request.POST)
    if form.is_valid():
        if rules.can_decline(request.user, offer) is None:
            confirmation = confirmation_required(
                request, title="Decline this offer?",
                message=(
                    f"You are about to decline “{offer.title}” from {offer.company.name}. "
                    "They will see your reason, and a declined offer cannot be accepted later."
                ),
                button="Yes, decline", cancel_url=reverse("offers:offer_detail", args=[offer.pk]),
                details=[("Your reason", form.cleaned_data["reason"])], nav_key="my-offers",
            )
            if confirmation:
                return confirmation
        try:
            services.offer_decline(
                offer_id=offer.pk, freelancer=request.user, reason=form.cleaned_data["reason"]
            )
        except services.OfferError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "You declined the offer. The client has been told why.")
        return redirect("offers:offer_detail", offer_id=offer.pk)
    offer = selectors.offer_for_viewer(user=request.user, offer_id=offer.pk)
    return _render_offer(request, offer, decline_form=form)
