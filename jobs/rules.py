"""Who may do what with job posts and invites: each rule once, as ``can_<verb>(user, ...)``
returning the refusal to show, or None when the user may. Services enforce them; views and
templates use them to decide what to show."""

from .models import Job


def can_post_job(user) -> str | None:
    membership = user.membership_or_none
    if membership is None or not membership.is_hiring_manager:
        return "Only hiring managers can post jobs."
    return None


def can_invite(user, job: Job) -> str | None:
    membership = user.membership_or_none
    if membership is None or membership.company_id != job.company_id or not membership.is_hiring_manager:
        return f"Only hiring managers of {job.company.name} can invite freelancers to this job."
    if job.status != Job.Status.OPEN:
        return "This job is closed: it cannot take new invites."
    return None
