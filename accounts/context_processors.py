from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from .models import Notification


def navigation(request):
    """The top bar: My Jobs for client members, Find Work and My Proposals for freelancers, and
    the bell with the unread count. A page that shows the top bar runs one query for the bell, and
    one more for an approver's requests awaiting their decision; the counts are lazy, so pages
    that do not show them (the admin, anonymous pages) run neither."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = []
    if user.is_client:
        approvals = {"label": "Approvals", "url": reverse("approvals:dashboard"), "key": "approvals"}
        if user.membership.is_approver:
            approvals["count"] = SimpleLazyObject(lambda: _awaiting_decision_count(user))
            approvals["count_label"] = "awaiting your decision"
        items.append({
            "label": "My Jobs",
            "key": "my-jobs",
            "children": [
                {"label": "Jobs", "url": reverse("jobs:job_list"), "key": "jobs"},
                {"label": "Offers", "url": reverse("offers:offer_list"), "key": "offers"},
                approvals,
            ],
        })
    if user.is_freelancer:
        items.append({"label": "Find Work", "url": reverse("jobs:find_work"), "key": "find-work"})
        items.append({
            "label": "My Proposals",
            "key": "my-proposals",
            "children": [
                {"label": "Invitations", "url": reverse("jobs:invitations"), "key": "invitations"},
                {"label": "Offers", "url": reverse("offers:freelancer_offers"), "key": "my-offers"},
                {"label": "Referrals", "url": reverse("referrals:list"), "key": "referrals"},
            ],
        })
    if user.is_staff:
        items.append({"label": "Admin", "url": reverse("admin:index"), "key": "admin"})
    return {"nav_items": items, "unread_notifications": SimpleLazyObject(lambda: _unread_count(user))}


def _unread_count(user) -> int:
    # Served by the partial index notification_unread_idx (recipient, where read_at is null).
    return Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True).count()


def _awaiting_decision_count(user) -> int:
    # accounts is the lowest app and may not import approvals; the reverse relation that
    # StepApprover.approver declares on User (related_name="approval_decisions") reaches the
    # table by name, without an import. The filter mirrors the dashboard's "awaiting your
    # decision": undecided, on the active step of a pending request not yet past its deadline,
    # in the approver's own company.
    return user.approval_decisions.filter(
        decision="pending", step__state="active", request__state="pending",
        request__expires_at__gt=timezone.now(), request__company_id=user.membership.company_id,
    ).count()
