"""Reads for job posts and invites: the company's jobs, Find Work, My Proposals > Invitations,
a job's invitees, and finding freelancers.

Every query is scoped to the signed-in freelancer (their own invites) or the client's company
(its own jobs); anything else answers 404.
"""

import re

from django.db.models import Case, Count, Prefetch, Q, QuerySet, Value, When
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
    """The freelancer's invites in one state, newest first, with job, company and referrer.

    The referrals (who referred this invite, whom the freelancer referred from it) come in one
    query each rather than as four more joins of the list's query: PostgreSQL took 10 ms to plan
    that ten-table join, against 0.3 ms to run it, on every render of the page."""
    referral = Invite._meta.get_field("referral").related_model  # referrals' Referral: not imported
    return Invite.objects.filter(freelancer_id=user.pk, state=state).select_related(
        "job__company", "invited_by", "proposal"
    ).prefetch_related(
        Prefetch("referral", queryset=referral.objects.select_related("referrer")),
        Prefetch("referral_made", queryset=referral.objects.select_related("referred")),
    )


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


# A part of a name shorter than this has no trigram for the index to look up (PostgreSQL would
# read the whole index), and matches too many people to be worth listing anyway.
NAME_SEARCH_MIN_LENGTH = 3

_PROFILE_LINK = re.compile(r"/freelancers/(\d+)/?(?:[?#].*)?$")


def freelancers_found(*, queryset: QuerySet, text: str, limit: int) -> list[User]:
    """The people of ``queryset`` that the typed ``text`` names, at most ``limit``, best first.

    An email finds the one whose whole address it is, whatever its case, never a part of one: a
    marketplace freelancer's email is private, and a search for "a", "ad", "ada@"… would spell
    it out. A profile link (…/freelancers/<id>/) finds that person. Anything else is a part of
    the name, at least NAME_SEARCH_MIN_LENGTH characters (served by the trigram index on the
    name): exact names first, then by name. Title and skills are not searched: an OR across the
    profile table would defeat the index.
    """
    text = clean_search(text)
    if "@" in text:
        if " " in text or "/" in text:
            return []
        return list(queryset.filter(email__iexact=text)[:1])
    if match := _PROFILE_LINK.search(text):
        return list(queryset.filter(pk=int(match[1]))[:1]) if len(match[1]) < 12 else []
    if len(text) < NAME_SEARCH_MIN_LENGTH:
        return []
    return list(
        queryset.filter(full_name__icontains=text)
        .annotate(exact=Case(When(full_name__iexact=text, then=Value(0)), default=Value(1)))
        .order_by("exact", "full_name", "pk")[:limit]
    )


def freelancers_already_on_job(*, job: Job, user_ids: list[int]) -> dict[int, str]:
    """For the listed people, why they cannot get an invite to the job (a query each for
    invites, proposals and what the apps above record, such as offers)."""
    if not user_ids:
        return {}
    engaged = engaged_on_job(job=job, freelancer_ids=user_ids)
    already: dict[int, str] = {user_id: f"Has {what}" for user_id, what in engaged.items()}
    for model, label in ((Proposal, "Sent a proposal"), (Invite, "Already invited")):
        for user_id in model.objects.filter(job=job, freelancer_id__in=user_ids).values_list(
            "freelancer_id", flat=True
        ):
            already[user_id] = label
    return already


def freelancer_for_profile(*, user_id: int) -> User:
    """A freelancer's public profile (for signed-in users); non-freelancers answer 404."""
    return get_object_or_404(marketplace_freelancers(), pk=user_id)
