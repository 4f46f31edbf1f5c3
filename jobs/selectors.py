"""Reads for job posts and invites: the company's jobs, Find Work, My Proposals > Invitations,
a job's invitees, and finding freelancers.

Every query is scoped to the signed-in freelancer (their own invites) or the client's company
(its own jobs); anything else answers 404.
"""

import re

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import User
from accounts.search import clean_search
from accounts.selectors import marketplace_freelancers

from .models import Invite, Job, Proposal
from .signals import engaged_on_job


def jobs_for_company(*, user, search: str = "") -> QuerySet:
    """The job posts of the user's company, newest first, with invite counts."""
    jobs = (
        Job.objects.filter(company_id=user.membership.company_id)
        .select_related("posted_by")
        .annotate(invite_count=Count("invites", distinct=True))
        .order_by("-created_at", "-id")  # Meta.ordering does not apply to an aggregated query
    )
    if search:
        jobs = jobs.filter(Q(title__icontains=search) | Q(skills__icontains=search))
    return jobs


def job_choices_for_company(*, user) -> QuerySet:
    """The company's job posts for a form's choice, newest first (none for a non-member)."""
    membership = user.membership_or_none
    if membership is None:
        return Job.objects.none()
    return Job.objects.filter(company_id=membership.company_id).order_by("-created_at", "-id")


def job_for_company(*, user, job_id: int) -> Job:
    """One job post of the user's company; another company's job answers 404."""
    return get_object_or_404(
        Job.objects.select_related("company", "posted_by"),
        pk=job_id,
        company_id=user.membership.company_id,
    )


def jobs_open_for_freelancers(*, search: str = "") -> QuerySet:
    """Open job posts on the marketplace, for Find Work."""
    jobs = Job.objects.filter(status=Job.Status.OPEN).select_related("company")
    if search:
        jobs = jobs.filter(
            Q(title__icontains=search) | Q(skills__icontains=search)
            | Q(description__icontains=search)
        )
    return jobs


def job_open_for_freelancer(*, job_id: int) -> Job:
    """One job post as Find Work shows it: public to any freelancer while open; else 404."""
    return get_object_or_404(jobs_open_for_freelancers(), pk=job_id)


def offers_for_job(*, job: Job):
    """The offers made for one job post (the job is already scoped to the user's company).

    Read through the reverse relation the offers app gives Job: jobs never imports offers.
    """
    return job.offers.select_related("freelancer", "created_by")

INVITE_TABS = ("pending", "accepted", "declined")

_invite_related = (
    "job__company",
    "invited_by",
    "referral__referrer",
    "referral_made__referred",
    "proposal",
)


def invites_for_freelancer(*, user, state: str = "pending"):
    """The freelancer's invites in one state, newest first, with job, company and referrer."""
    return Invite.objects.filter(freelancer_id=user.pk, state=state).select_related(*_invite_related)


def invite_counts_for_freelancer(*, user) -> dict:
    """Number of the freelancer's invites in each state, in one query."""
    counts = Invite.objects.filter(freelancer_id=user.pk).aggregate(
        **{state: Count("pk", filter=Q(state=state)) for state in INVITE_TABS}
    )
    return counts


def invite_for_freelancer(*, user, invite_id: int) -> Invite:
    """One of the freelancer's own invites; another freelancer's invite answers 404."""
    return get_object_or_404(
        Invite.objects.select_related(*_invite_related), pk=invite_id, freelancer_id=user.pk
    )


def invitees_for_job(*, job: Job):
    """Everyone invited to the job (the caller has scoped the job), with who referred them."""
    return job.invites.select_related(
        "freelancer__freelancer_profile", "invited_by", "referral__referrer", "referral_made__referred",
        "proposal",
    ).order_by("-created_at", "-id")


def direct_invite_count(*, job: Job) -> int:
    return job.invites.filter(source=Invite.Source.DIRECT).count()


def freelancers_matching(*, search: str, limit: int = 20, exclude_user_id: int | None = None):
    """Active freelancers whose name, title or skills contain every word of the search.

    Email addresses are never searched by fragment (that would leak them); an exact email
    is handled by freelancer_by_email_or_link.
    """
    words = search.split()
    if not words:
        return User.objects.none()
    freelancers = marketplace_freelancers().exclude(pk=exclude_user_id)
    for word in words[:5]:
        freelancers = freelancers.filter(
            Q(full_name__icontains=word)
            | Q(freelancer_profile__title__icontains=word)
            | Q(freelancer_profile__skills__icontains=word)
        )
    return freelancers.order_by("full_name", "pk")[:limit]


_PROFILE_LINK = re.compile(r"/freelancers/(\d+)/?(?:[?#].*)?$")


def freelancer_by_email_or_link(*, text: str) -> User | None:
    """The user named by an exact email address or a profile link (…/freelancers/<id>/).

    Returns the user whatever their kind or status, so the referral service can say why they
    cannot be picked; returns None when the text is neither or names nobody.
    """
    text = text.strip()
    if "@" in text and " " not in text and "/" not in text:
        return User.objects.select_related("freelancer_profile").filter(email__iexact=text).first()
    match = _PROFILE_LINK.search(text)
    if match:
        return User.objects.select_related("freelancer_profile").filter(pk=int(match[1])).first()
    return None


def freelancer_for_profile(*, user_id: int) -> User:
    """A freelancer's public profile (for signed-in users); non-freelancers answer 404."""
    return get_object_or_404(marketplace_freelancers(), pk=user_id)


def _already_on_job(*, job: Job, user_ids: list[int]) -> dict[int, str]:
    """For the listed people, why they cannot get an invite to the job (a query each for
    invites, proposals and what the apps above record, such as offers)."""
    engaged = engaged_on_job(job=job, freelancer_ids=user_ids)
    already: dict[int, str] = {user_id: f"Has {what}" for user_id, what in engaged.items()}
    for model, label in ((Proposal, "Sent a proposal"), (Invite, "Already invited")):
        for user_id in model.objects.filter(job=job, freelancer_id__in=user_ids).values_list(
            "freelancer_id", flat=True
        ):
            already[user_id] = label
    return already


def freelancer_picker(
    *, search: str = "", selected_id: str | int | None = None, exclude_user_id: int | None = None,
    job: Job | None = None,
) -> dict:
    """What the freelancer picker shows: search results, or the one freelancer picked.

    The search box takes a name, title or skills (a list of matches to select from), or the
    exact email or profile link of an active freelancer (picked at once). An email, link or
    posted ``selected_id`` of anyone else (a client, staff, an inactive account, an unknown id)
    reads as "not an active freelancer" without their name, so the picker never reveals who
    has an account. Picking ``exclude_user_id`` (the referrer) says "you cannot refer yourself".
    Given the ``job``, search results already invited to, proposing for or offered it are marked
    (``already_on_job``) and cannot be selected; the service still checks on submit.
    ``problem`` holds that message; ``selected`` is then None.
    """
    search = clean_search(search)
    selected = None
    problem = None
    if selected_id not in (None, ""):
        try:
            selected = marketplace_freelancers().filter(pk=int(selected_id)).first()
        except (TypeError, ValueError):
            selected = None
        if selected is None:
            problem = "The person you picked is not an active freelancer on Greenlight. Pick someone else."
    results = []
    not_found = False
    if selected is None and problem is None and search:
        looked_up = freelancer_by_email_or_link(text=search)
        if looked_up is not None and looked_up.is_active and looked_up.freelancer_profile_or_none:
            selected = looked_up
        elif "@" in search or "/freelancers/" in search:
            not_found = True
        else:
            results = list(freelancers_matching(search=search, exclude_user_id=exclude_user_id))
            if job is not None and results:
                # Mark who is already on the job, so nobody picks them and writes a message in vain.
                already = _already_on_job(job=job, user_ids=[person.pk for person in results])
                for person in results:
                    person.already_on_job = already.get(person.pk, "")
    if selected is not None and exclude_user_id is not None and selected.pk == exclude_user_id:
        selected, problem = None, "You cannot refer yourself. Pick another freelancer."
    return {
        "search": search, "selected": selected, "results": results,
        "not_found": not_found, "problem": problem,
    }
