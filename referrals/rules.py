"""Who may refer: each rule once, as ``can_<verb>(user, ...)`` returning the refusal to show,
or None when the user may. The service enforces it; the invite page and the refer page use it
to decide what to show."""

from jobs.models import Invite, Job

from .models import Referral
from .selectors import user_in_referral_beta

NOT_IN_BETA = "Referring a freelancer is in beta and not open to your account yet."


def _gave_referral(invite: Invite) -> bool:
    try:
        return invite.referral_made is not None
    except Referral.DoesNotExist:
        return False


def can_refer(user, invite: Invite) -> str | None:
    """Decline and refer from this invite: a freelancer in the referral beta, on their own
    invite that they have not accepted and that gave no referral yet, for an open job. A
    declined invite that gave no referral may still refer (decline first, refer later)."""
    if not user_in_referral_beta(user=user):
        return NOT_IN_BETA
    if invite.freelancer_id != user.pk:
        return "Only the invited freelancer can refer someone for this invite."
    if _gave_referral(invite):
        return "You already referred someone for this invite: one invite, one referral."
    if invite.state == Invite.State.ACCEPTED:
        return "You accepted this invite, so you cannot refer someone else for it."
    if invite.job.status != Job.Status.OPEN:
        return "This job is closed: it cannot take referrals."
    return None
