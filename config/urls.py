from django.contrib import admin
from django.urls import include, path

from accounts.views import home

from .health import healthz

admin.site.site_header = "Greenlight administration"
admin.site.site_title = "Greenlight admin"

urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    # Staff's approval reports, an admin page outside the model admins (approvals.admin_urls).
    path("admin/approvals/reports/", include("approvals.admin_urls")),
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("notifications/", include("accounts.inbox.urls")),
    path("approvals/", include("approvals.urls")),
    path("referrals/", include("referrals.urls")),
    path("", include("jobs.urls")),
    path("", include("offers.urls")),
]
