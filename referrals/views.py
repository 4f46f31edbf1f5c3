"""My Proposals > Referrals, and Decline and refer (for freelancers in the referral beta)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render

from accounts.decorators import freelancer_required
from jobs.models import Invite
from jobs.selectors import freelancer_picker, invite_for_freelancer

from . import rules, selectors, services
from .forms import ReferForm


@freelancer_required
def referral_list(request):
    made = Paginator(selectors.referrals_made_by(user=request.user), 20).get_page(request.GET.get("page"))
    return render(request, "referrals/referral_list.html", {
        "page": made,
        "counts": selectors.referral_counts(user=request.user),
        "referred_to_me": selectors.invites_referred_to(user=request.user)[:50],
        "in_beta": selectors.user_in_referral_beta(user=request.user),
        "nav_key": "referrals",
    })


@freelancer_required
def refer(request, invite_id):
    """Decline an invite and refer another freelancer. Outside the beta this page is a 404."""
    if not selectors.user_in_referral_beta(user=request.user):
        raise Http404("Referrals are in beta.")
    invite = invite_for_freelancer(user=request.user, invite_id=invite_id)
    refusal = rules.can_refer(request.user, invite)
    if refusal:
        messages.error(request, refusal)
        return redirect("jobs:invite_detail", invite_id=invite.pk)
    needs_reason = invite.state == Invite.State.PENDING
    data = request.POST if request.method == "POST" else request.GET
    # Search, Select and Change submit this page's form (name="picker" / "select"), so the
    # reason and note typed so far come back with the results instead of being wiped.
    picking = request.method == "POST" and bool(data.get("picker") or data.get("select"))
    selected_id = data.get("select") or ("" if data.get("picker") == "change" else data.get("freelancer"))
    picker = freelancer_picker(
        search=data.get("q", ""), selected_id=selected_id, exclude_user_id=request.user.pk,
        job=invite.job,
    )
    selected = {"freelancer": getattr(picker["selected"], "pk", None)}
    if picking:  # nothing is acted on: the page comes back with what was typed
        form = ReferForm(needs_reason=needs_reason, initial={**request.POST.dict(), **selected})
    else:
        form = ReferForm(request.POST or None, needs_reason=needs_reason, initial=selected)
    acting = request.method == "POST" and not picking
    if acting and form.is_valid() and picker["problem"]:
        form.add_error(None, picker["problem"])
    elif acting and form.is_valid():
        try:
            referral = services.referral_create(
                invite_id=invite.pk, referrer=request.user, referred=picker["selected"],
                reason=form.decline_reason, note=form.cleaned_data["note"],
            )
        except services.ReferralError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                f"You referred {referral.referred.full_name} to “{invite.job.title}”"
                f"{' and declined the invite' if needs_reason else ''}.",
            )
            return redirect("referrals:list")
    return render(request, "referrals/refer.html", {
        "invite": invite, "job": invite.job, "form": form, "picker": picker,
        "needs_reason": needs_reason, "nav_key": "invitations",
    }, status=400 if acting else 200)
