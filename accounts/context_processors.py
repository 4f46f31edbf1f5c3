from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from .models import Notification


def navigation(request):
    """The top bar: My Jobs for client members, Find Work and My Proposals for freelancers, and
    the bell with the unread count. The bell's count comes with the signed-in user (no query on
    a GET); an approver's requests awaiting their decision take one query, lazily, so pages that
    do not show the top bar (the admin, anonymous pages) run none."""
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
    return {
        "nav_items": items, "unread_notifications": SimpleLazyObject(lambda: _unread_count(request, user)),
    }


def _unread_count(request, user) -> int:
    # A GET changes no notification, so the count loaded with the user at the start of the request
    # (accounts.backends.signed_in_users) is current; a POST that renders may have just written or
    # read one of the reader's own, so it counts again. Served by the partial index
    # notification_unread_idx (recipient, where read_at is null).
    loaded = getattr(user, "unread_notification_count", None)
    if loaded is not None and request.method in ("GET", "HEAD"):
        return loaded
    return Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True).count()


# The approvals app counts what awaits an approver's decision (their own seats, and those of
# approvers away whose decisions go to them); it registers the counter in its AppConfig.ready(),
# as accounts, the lowest app, may not import it.
awaiting_decision_counter = None


def register_awaiting_decision_counter(counter) -> None:
    global awaiting_decision_counter
    awaiting_decision_counter = counter


def _awaiting_decision_count(user) -> int:
    return awaiting_decision_counter(user) if awaiting_decision_counter is not None else 0
