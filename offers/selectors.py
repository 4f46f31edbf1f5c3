"""Reads for offers pages. Every query is scoped to the user's company or freelancer profile."""

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404

from .models import Job


def jobs_for_company(*, user, search: str = ""):
    """The job posts of the user's company, newest first, with invite counts."""
    jobs = (
        Job.objects.filter(company_id=user.membership.company_id)
        .select_related("posted_by")
        .annotate(invite_count=Count("invites", distinct=True))
    )
    if search:
        jobs = jobs.filter(Q(title__icontains=search) | Q(skills__icontains=search))
    return jobs


def job_for_company(*, user, job_id: int) -> Job:
    """One job post of the user's company; another company's job answers 404."""
    return get_object_or_404(
        Job.objects.select_related("company", "posted_by"),
        pk=job_id,
        company_id=user.membership.company_id,
    )


def jobs_open_for_freelancers(*, search: str = ""):
    """Open job posts on the marketplace, for Find Work."""
    jobs = Job.objects.filter(status=Job.Status.OPEN).select_related("company")
    if search:
        jobs = jobs.filter(
            Q(title__icontains=search) | Q(skills__icontains=search)
            | Q(description__icontains=search)
        )
    return jobs
