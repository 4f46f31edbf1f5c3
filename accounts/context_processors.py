from django.urls import reverse


def navigation(request):
    """The top navigation: My Jobs for client members, Find Work and My Proposals for freelancers."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = []
    if user.is_client:
        items.append({
            "label": "My Jobs",
            "key": "my-jobs",
            "children": [
                {"label": "Jobs", "url": reverse("jobs:job_list"), "key": "jobs"},
                {"label": "Offers", "url": reverse("offers:offer_list"), "key": "offers"},
                {"label": "Approvals", "url": reverse("approvals:dashboard"), "key": "approvals"},
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
    return {"nav_items": items}
