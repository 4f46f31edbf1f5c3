from django import template

from referrals.selectors import user_in_referral_beta

register = template.Library()


@register.inclusion_tag("referrals/_beta_notice.html", takes_context=True)
def referral_beta_notice(context):
    """The referral beta notice, shown only to freelancers in the beta (Find Work, Invitations)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    match = getattr(request, "resolver_match", None)
    return {
        "show": bool(user is not None and user_in_referral_beta(user=user)),
        # No "Your referrals" link on the Referrals tab itself.
        "link": getattr(match, "view_name", "") != "referrals:list",
    }
