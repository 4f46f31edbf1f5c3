"""How referrals take part in the invite flow of the jobs app (see jobs.signals)."""

from django.dispatch import receiver

from jobs.models import Invite
from jobs.signals import ReferralOptions, invite_answered, referral_options

from . import emails, rules
from .models import Referral
from .selectors import user_in_referral_beta


@receiver(invite_answered, dispatch_uid="referrals.tell_referrer")
def tell_referrer(sender, *, invite: Invite, **kwargs):
    """A referred freelancer answered their invite: the referrer is notified, in the
    transaction that records the answer."""
    if invite.source != Invite.Source.REFERRAL:
        return
    referral = (
        Referral.objects.select_related("job__company", "referrer", "referred")
        .filter(new_invite_id=invite.pk)
        .first()
    )
    if referral is not None:
        referral.new_invite = invite  # the answer just made, not yet read back
        emails.send_referral_outcome(referral)


@receiver(referral_options, dispatch_uid="referrals.options")
def options(sender, *, user, invite=None, **kwargs) -> ReferralOptions:
    in_beta = user_in_referral_beta(user=user)
    return ReferralOptions(
        in_beta=in_beta, can_refer=in_beta and invite is not None and rules.can_refer(user, invite) is None
    )
