"""How the apps above jobs take part in its flows without jobs importing them.

This is the one mechanism by which a lower layer reaches up (see the README's Layout): jobs
sends a Django signal, and an app above connects a receiver in its ``AppConfig.ready()``.

- ``invite_answered``: an invite was accepted or declined. Sent inside the transaction that
  changed it, so a receiver's writes commit or roll back with the answer. Args: ``invite``.
- ``referral_options``: the invite pages ask what the freelancer may do about referring.
  Args: ``user`` and ``invite`` (None on list pages). A receiver answers a ``ReferralOptions``.
- ``freelancers_engaged``: which of these freelancers are already engaged on the job in a way
  jobs does not record. Args: ``job`` and ``freelancer_ids``. A receiver answers a dict
  ``{freelancer_id: what}``, ``what`` a noun phrase ("an offer").
"""

from dataclasses import dataclass

from django.dispatch import Signal

invite_answered = Signal()
referral_options = Signal()
freelancers_engaged = Signal()


@dataclass(frozen=True)
class ReferralOptions:
    in_beta: bool = False  # the freelancer sees the referral beta at all
    can_refer: bool = False  # "Decline and refer" is offered for this invite


def referral_options_for(*, user, invite=None) -> ReferralOptions:
    """What the referral feature, if installed, offers this freelancer (nothing otherwise)."""
    for _receiver, answer in referral_options.send(sender=None, user=user, invite=invite):
        if isinstance(answer, ReferralOptions):
            return answer
    return ReferralOptions()


def engaged_on_job(*, job, freelancer_ids) -> dict[int, str]:
    """{freelancer_id: what} for the freelancers engaged on the job through an app above jobs."""
    engaged: dict[int, str] = {}
    if not freelancer_ids:
        return engaged
    answers = freelancers_engaged.send(sender=None, job=job, freelancer_ids=list(freelancer_ids))
    for _receiver, answer in answers:
        engaged.update(answer or {})
    return engaged
