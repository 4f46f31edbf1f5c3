"""Job pages: My Jobs > Jobs, invites and invitees (hiring managers); Find Work and
My Proposals > Invitations (freelancers)."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from accounts.confirmations import confirmation_required
from accounts.decorators import client_required, freelancer_required
from accounts.pagecache import cached_for_reader
from accounts.pagination import counted_paginator
from accounts.search import search_term
from accounts.selectors import marketplace_freelancers

from . import rules, selectors, services
from .forms import DeclineForm, InviteForm, JobForm
from .models import Invite, Job
from .signals import referral_options_for
from .terms import ContractType, format_money


@client_required
def job_list(request):
    search = search_term(request)
    jobs = selectors.jobs_for_company(user=request.user, search=search)
    page = Paginator(jobs, 20).get_page(request.GET.get("page"))
    return render(request, "jobs/job_list.html", {
        "page": page, "search": search, "nav_key": "jobs",
        "can_post": rules.can_post_job(request.user) is None,
    })


@client_required
def job_create(request):
    refusal = rules.can_post_job(request.user)
    if refusal:
        messages.error(request, refusal)
        return redirect("jobs:job_list")
    form = JobForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = services.job_create(posted_by=request.user, **form.cleaned_data)
        except services.JobError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Job “{job.title}” posted.")
            return redirect("jobs:job_detail", job_id=job.pk)
    return render(request, "jobs/job_form.html", {"form": form, "nav_key": "jobs"})


@client_required
def job_detail(request, job_id):
    job = selectors.job_for_company(user=request.user, job_id=job_id)
    offer_url = reverse("offers:offer_create") + "?" + urlencode({
        "job": job.pk, "title": job.title, "contract_type": job.contract_type,
        "amount": job.budget_amount or "", "currency": job.budget_currency,
    })
    return render(request, "jobs/job_detail.html", {
        "job": job,
        "job_offers": selectors.offers_for_job(job=job),
        "send_offer_url": offer_url,
        "can_invite": rules.can_invite(request.user, job) is None,
        "nav_key": "jobs",
    })


@freelancer_required
def find_work(request):
    search = search_term(request)
    jobs = selectors.jobs_open_for_freelancers(search=search)
    page = Paginator(jobs, 20).get_page(request.GET.get("page"))
    return render(request, "jobs/find_work.html", {
        "page": page, "search": search, "nav_key": "find-work",
        "referral_beta": referral_options_for(user=request.user).in_beta,
    })


@freelancer_required
def job_for_freelancer(request, job_id):
    """An open job's public details, opened from a Find Work card."""
    job = selectors.job_open_for_freelancer(job_id=job_id)
    return render(request, "jobs/job_for_freelancer.html", {"job": job, "nav_key": "find-work"})


@cached_for_reader
@freelancer_required
def invitations(request):
    tab = request.GET.get("tab", "pending")
    if tab not in selectors.INVITE_TABS:
        tab = "pending"
    counts = selectors.invite_counts_for_freelancer(user=request.user)
    page = counted_paginator(
        selectors.invites_for_freelancer(user=request.user, state=tab), 20, count=counts[tab]
    ).get_page(request.GET.get("page"))
    base = reverse("jobs:invitations")
    tabs = [
        {"label": label, "key": key, "url": f"{base}?tab={key}", "count": counts[key]}
        for key, label in (
            ("pending", "Awaiting your answer"), ("accepted", "Accepted"), ("declined", "Declined"),
        )
    ]
    return render(request, "jobs/invitations.html", {
        "page": page, "tab": tab, "tabs": tabs, "nav_key": "invitations",
        "referral_beta": referral_options_for(user=request.user).in_beta,
        "balance": request.user.freelancer_profile.connects_balance,
    })


def _invite_detail_context(request, invite: Invite, decline_form=None) -> dict:
    referral = referral_options_for(user=request.user, invite=invite)
    return {
        "invite": invite,
        "job": invite.job,
        "referral": getattr(invite, "referral", None),
        "referral_made": getattr(invite, "referral_made", None),
        "price": services.invite_connects_price(invite),
        "balance": request.user.freelancer_profile.connects_balance,
        "decline_form": decline_form or DeclineForm(),
        "referral_beta": referral.in_beta,
        "can_refer": referral.can_refer,
        "job_open": invite.job.status == Job.Status.OPEN,
        "nav_key": "invitations",
    }


@freelancer_required
def invite_detail(request, invite_id):
    invite = selectors.invite_for_freelancer(user=request.user, invite_id=invite_id)
    return render(request, "jobs/invite_detail.html", _invite_detail_context(request, invite))


@require_POST
@freelancer_required
def invite_accept(request, invite_id):
    invite = selectors.invite_for_freelancer(user=request.user, invite_id=invite_id)
    if invite.state == Invite.State.PENDING:
        price = services.invite_connects_price(invite)
        confirmation = confirmation_required(
            request,
            title=f"Accept and spend {price} Connects?" if price else "Accept this invite?",
            message=(
                f"Accepting sends your proposal for “{invite.job.title}” to {invite.job.company.name}"
                + (f" and spends {price} of your "
                   f"{request.user.freelancer_profile.connects_balance} Connects." if price
                   else ". It costs no Connects.")
            ),
            button=f"Yes, accept and spend {price} Connects" if price else "Yes, accept",
            cancel_url=reverse("jobs:invite_detail", args=[invite.pk]), nav_key="invitations",
            button_class="primary",  # spending, not destroying
        )
        if confirmation:
            return confirmation
    try:
        proposal = services.invite_accept(invite_id=invite.pk, freelancer=request.user)
    except services.JobError as error:
        messages.error(request, str(error))
    else:
        spent = f" {proposal.connects_spent} Connects were spent." if proposal.connects_spent else (
            " It cost no Connects." if invite.source == Invite.Source.REFERRAL else ""
        )
        messages.success(request, f"Invite accepted: your proposal for “{invite.job.title}” was sent.{spent}")
    return redirect("jobs:invite_detail", invite_id=invite.pk)


@require_POST
@freelancer_required
def invite_decline(request, invite_id):
    invite = selectors.invite_for_freelancer(user=request.user, invite_id=invite_id)
    form = DeclineForm(request.POST)
    if form.is_valid():
        try:
            services.invite_decline(invite_id=invite.pk, freelancer=request.user, reason=form.decline_reason)
        except services.JobError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"You declined the invite to “{invite.job.title}”.")
        return redirect("jobs:invite_detail", invite_id=invite.pk)
    context = _invite_detail_context(request, invite, decline_form=form)
    return render(request, "jobs/invite_detail.html", context, status=400)


@client_required
def invite_create(request, job_id):
    """Pick a freelancer (typed name, email or profile link, or searched as you type) and send
    them a direct invite. One form, so a name to resolve never loses the message typed."""
    job = selectors.job_for_company(user=request.user, job_id=job_id)
    refusal = rules.can_invite(request.user, job)
    if refusal:
        messages.error(request, refusal)
        return redirect("jobs:job_detail", job_id=job.pk)
    initial = {"freelancer": request.GET.get("freelancer")} if request.GET.get("freelancer") else {}
    form = InviteForm(request.POST or None, job=job, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            invite = services.invite_create(
                job=job, invited_by=request.user, freelancer=form.cleaned_data["freelancer"],
                message=form.cleaned_data["message"],
            )
        except services.JobError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"{invite.freelancer.full_name} is invited to “{job.title}”.")
            return redirect("jobs:job_invitees", job_id=job.pk)
    return render(request, "jobs/invite_form.html", {
        "job": job, "form": form, "nav_key": "jobs",
        "direct_used": selectors.direct_invite_count(job=job),
    }, status=400 if request.method == "POST" else 200)


@client_required
def job_invitees(request, job_id):
    job = selectors.job_for_company(user=request.user, job_id=job_id)
    page = Paginator(selectors.invitees_for_job(job=job), 50).get_page(request.GET.get("page"))
    return render(request, "jobs/job_invitees.html", {
        "job": job, "page": page, "nav_key": "jobs",
        "direct_used": selectors.direct_invite_count(job=job),
        "can_invite": rules.can_invite(request.user, job) is None,
    })


@login_required
def freelancer_profile(request, user_id):
    """A freelancer's profile, for any signed-in user: the link people paste to refer them."""
    freelancer = selectors.freelancer_for_profile(user_id=user_id)
    return render(request, "jobs/freelancer_profile.html", {
        "freelancer": freelancer, "profile": freelancer.freelancer_profile,
    })


SEARCH_RESULTS = 10


def _is_id(text: str) -> bool:
    return text.isascii() and text.isdigit() and len(text) < 10


def _search_scope(request):
    """Whom the signed-in user may search for, and the job whose rules mark the results.

    Whoever may use a picker: with ``job``, a hiring manager who may invite to that job of their
    company; with ``invite``, the invited freelancer who may decline and refer it (themselves
    left out); with neither, a hiring manager (the request and offer forms). Another company's
    job or another freelancer's invite answers 404; anyone else 403.
    """
    user = request.user
    if not user.is_authenticated:
        raise PermissionDenied("Sign in to search freelancers.")
    job_id, invite_id = request.GET.get("job"), request.GET.get("invite")
    if job_id is not None:
        if not user.is_client or not _is_id(job_id):
            raise Http404("No such job.")
        job = selectors.job_for_company(user=user, job_id=int(job_id))
        if refusal := rules.can_invite(user, job):
            raise PermissionDenied(refusal)
        return marketplace_freelancers(), job
    if invite_id is not None:
        if not user.is_freelancer or not _is_id(invite_id):
            raise Http404("No such invite.")
        invite = selectors.invite_for_freelancer(user=user, invite_id=int(invite_id))
        if not referral_options_for(user=user, invite=invite).can_refer:
            raise PermissionDenied("You cannot refer someone for this invite.")
        return marketplace_freelancers().exclude(pk=user.pk), invite.job
    membership = user.membership_or_none
    if membership is None or not membership.is_hiring_manager:
        raise PermissionDenied("Only hiring managers pick freelancers here.")
    return marketplace_freelancers(), None


@require_GET
def freelancer_search(request):
    """The freelancer picker's search as you type (JSON): up to SEARCH_RESULTS people that ``q``
    names (``selectors.freelancers_found``: a part of the name, or a whole email), with only
    what their public profile shows (name, title, hourly rate), and ``more`` when there are
    others. Results already on the job are marked ``unavailable`` with the reason."""
    try:
        queryset, job = _search_scope(request)
    except PermissionDenied as refusal:
        return JsonResponse({"error": str(refusal)}, status=403)
    except Http404:
        return JsonResponse({"error": "Not found."}, status=404)
    found = selectors.freelancers_found(
        queryset=queryset, text=request.GET.get("q", ""), limit=SEARCH_RESULTS + 1
    )
    shown = found[:SEARCH_RESULTS]
    already = selectors.freelancers_already_on_job(job=job, user_ids=[p.pk for p in shown]) if job else {}
    return JsonResponse({
        "results": [
            {
                "id": person.pk,
                "name": person.full_name,
                "title": person.freelancer_profile.title,
                "rate": format_money(
                    person.freelancer_profile.hourly_rate, person.freelancer_profile.hourly_rate_currency,
                    ContractType.HOURLY,
                ),
                "unavailable": already.get(person.pk, ""),
            }
            for person in shown
        ],
        "more": len(found) > SEARCH_RESULTS,
    })
