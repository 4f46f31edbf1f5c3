"""Reads on accounts shared by every app."""

from django.db.models import QuerySet

from .models import Notification, NotificationSetting, User


def marketplace_freelancers() -> QuerySet:
    """Active freelancers on the marketplace, by name: whom a request, offer or invite can name."""
    return (
        User.objects.filter(freelancer_profile__isnull=False, is_active=True)
        .select_related("freelancer_profile")
        .order_by("full_name", "email")
    )


def notifications_for(*, user) -> QuerySet:
    """The user's own inbox, newest first (the order of the index notification_inbox_idx)."""
    return Notification.objects.filter(recipient_id=user.pk).order_by("-created_at", "-id")


# The kinds of email each role receives (see notification_setting_groups).
APPROVER_KINDS = [Notification.Kind.APPROVAL_NEW, Notification.Kind.APPROVAL_REMINDER]
HIRING_MANAGER_KINDS = [
    Notification.Kind.APPROVAL_DECISION, Notification.Kind.APPROVAL_EXPIRED,
    Notification.Kind.OFFER_ACCEPTED, Notification.Kind.OFFER_DECLINED,
    Notification.Kind.INVITE_ACCEPTED, Notification.Kind.INVITE_DECLINED,
]
# Escalation contacts of their company's approval policy (User.approval_escalations, the reverse
# of approvals' ApprovalPolicy.escalation_contacts, read without importing approvals).
ESCALATION_KINDS = [Notification.Kind.APPROVAL_ESCALATED]
FREELANCER_KINDS = [
    Notification.Kind.OFFER_SENT, Notification.Kind.OFFER_MODIFIED, Notification.Kind.OFFER_WITHDRAWN,
    Notification.Kind.INVITE_RECEIVED, Notification.Kind.REFERRAL_INVITE,
    Notification.Kind.REFERRAL_OUTCOME,
]


def notification_setting_groups(*, user) -> list[dict]:
    """The email choices the settings page shows, one group per role, as the user meets them:
    ``[{"key", "label", "kinds": [{"kind", "label", "email_enabled"}]}]``.

    Only kinds that can reach this person are offered: an approver chooses the new-request and
    reminder emails; an escalation contact of their company's policy the overdue-decision emails;
    a hiring manager the answers to their requests, offers and invites (decided,
    expired, offer accepted/declined, invite accepted/declined); someone with both roles sees both
    groups; a freelancer chooses the offers, invites and referrals sent to them. A kind they already
    turned off is always shown, even if no role sends it any more, so it can be turned back on.
    Without a setting row a kind is emailed.
    """
    muted = set(
        NotificationSetting.objects.filter(user_id=user.pk, email_enabled=False)
        .values_list("kind", flat=True)
    )
    membership = user.membership_or_none
    groups = []
    if membership is not None and membership.is_approver:
        groups.append(("approver", "Requests you decide", APPROVER_KINDS))
    if membership is not None and membership.is_hiring_manager:
        groups.append(("hiring-manager", "Your requests, offers and invites", HIRING_MANAGER_KINDS))
    if membership is not None and user.approval_escalations.filter(company_id=membership.company_id).exists():
        groups.append(("escalation", "Overdue decisions escalated to you", ESCALATION_KINDS))
    if user.is_freelancer:
        groups.append(("freelancer", "Offers, invites and referrals to you", FREELANCER_KINDS))
    shown = {kind for _, _, kinds in groups for kind in kinds}
    others = [kind for kind in Notification.Kind if kind in muted and kind not in shown]
    if others:
        groups.append(("other", "Other emails you turned off", others))
    return [
        {
            "key": key,
            "label": label,
            "kinds": [
                {"kind": kind.value, "label": kind.label, "email_enabled": kind not in muted}
                for kind in kinds
            ],
        }
        for key, label, kinds in groups
    ]
