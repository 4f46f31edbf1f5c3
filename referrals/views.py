"""My Proposals > Referrals, and Decline and refer (for freelancers in the referral beta)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render

from accounts.decorators import freelancer_required
from accounts.pagecache import cached_for_reader
from accounts.pagination import counted_paginator
from jobs.models import Invite
from jobs.selectors import invite_for_freelancer

from . import rules, selectors, services
from .forms import ReferForm


@cached_for_reader
@freelancer_required
def referral_list(request):
    counts = selectors.referral_counts(user=request.user)
    made = counted_paginator(
        selectors.referrals_made_by(user=request.user), 20, count=counts["referrals"]
    ).get_page(request.GET.get("page"))
    return render(request, "referrals/referral_list.html", {
        "page": made,
        "counts": counts,
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
    initial = {"freelancer": request.GET.get("freelancer")} if request.GET.get("freelancer") else {}
    form = ReferForm(
        request.POST or None, invite=invite, referrer=request.user, needs_reason=needs_reason,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            referral = services.referral_create(
                invite_id=invite.pk, referrer=request.user, referred=form.cleaned_data["freelancer"],
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
        "invite": invite, "job": invite.job, "form": form,
        "needs_reason": needs_reason, "nav_key": "invitations",
    }, status=400 if request.method == "POST" else 200)
