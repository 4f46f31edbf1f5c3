from django.utils.functional import SimpleLazyObject

from .backends import UNREAD_CAP, unread_notifications
from .pagination import capped_label
from .paths import path_to


def navigation(request):
    """The top bar: My Jobs for client members, Find Work and My Proposals for freelancers, and
    the bell with the unread count. The bell's count comes with the signed-in user (no query on
    a GET); an approver's requests awaiting their decision take one query, lazily, so pages that
    do not show the top bar (the admin, anonymous pages) run none. Every path is reversed once
    per process (accounts.paths): they are the same on every page."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "nav_paths": _nav_paths()}
    items = []
    if user.is_client:
        approvals = {"label": "Approvals", "url": path_to("approvals:dashboard"), "key": "approvals"}
        if user.membership.is_approver:
            approvals["count"] = SimpleLazyObject(lambda: _awaiting_decision_count(user))
            approvals["count_label"] = "awaiting your decision"
        items.append({
            "label": "My Jobs",
            "key": "my-jobs",
            "children": [
                {"label": "Jobs", "url": path_to("jobs:job_list"), "key": "jobs"},
                {"label": "Offers", "url": path_to("offers:offer_list"), "key": "offers"},
                approvals,
            ],
        })
    if user.is_freelancer:
        items.append({"label": "Find Work", "url": path_to("jobs:find_work"), "key": "find-work"})
        items.append({
            "label": "My Proposals",
            "key": "my-proposals",
            "children": [
                {"label": "Invitations", "url": path_to("jobs:invitations"), "key": "invitations"},
                {"label": "Offers", "url": path_to("offers:freelancer_offers"), "key": "my-offers"},
                {"label": "Referrals", "url": path_to("referrals:list"), "key": "referrals"},
            ],
        })
    if user.is_staff:
        items.append({"label": "Admin", "url": path_to("admin:index"), "key": "admin"})
    return {
        "nav_items": items, "nav_paths": _nav_paths(),
        "unread_notifications": SimpleLazyObject(lambda: _unread_count(request, user)),
    }


def _nav_paths() -> dict:
    """The links base.html shows around the menu."""
    return {
        "home": path_to("home"), "notifications": path_to("notifications:list"),
        "notification_settings": path_to("notifications:settings"),
        "time_zone": path_to("accounts:time_zone"), "logout": path_to("accounts:logout"),
    }


def _unread_count(request, user) -> int | str:
    # A GET changes no notification, so the count loaded with the user at the start of the request
    # (accounts.backends.signed_in_users) is current; a POST that renders may have just written or
    # read one of the reader's own, so it counts again. Either stops at UNREAD_CAP + 1 ("99+").
    loaded = getattr(user, "unread_notification_count", None)
    if loaded is None or request.method not in ("GET", "HEAD"):
        loaded = unread_notifications(user.pk).count()
    return capped_label(loaded, UNREAD_CAP)


# The approvals app counts what awaits an approver's decision (their own seats, and those of
# approvers away whose decisions go to them); it registers the counter in its AppConfig.ready(),
# as accounts, the lowest app, may not import it.
awaiting_decision_counter = None


def register_awaiting_decision_counter(counter) -> None:
    global awaiting_decision_counter
    awaiting_decision_counter = counter


def _awaiting_decision_count(user) -> int:
    return awaiting_decision_counter(user) if awaiting_decision_counter is not None else 0
