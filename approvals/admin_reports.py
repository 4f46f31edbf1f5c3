"""The approval reports in the Django admin, for staff: any company with approvals, the same
figures and period as My Jobs > Approvals > Reports (company-wide). Kept out of admin.py, which
holds the model admins; wired at /admin/approvals/reports/ by approvals.admin_urls."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone

from accounts.models import Company

from . import reports
from .views import report_context


def approval_reports(request):
    if not request.user.has_perm("approvals.view_approvalrequest"):
        raise PermissionDenied
    companies = Company.objects.filter(approvals_enabled=True).order_by("name")
    company = None
    if request.GET.get("company", "").isdigit():
        company = companies.filter(pk=int(request.GET["company"])).first()
    company = company or companies.first()
    data = {key: request.GET[key] for key in ("start", "end") if request.GET.get(key, "").strip()}
    # Staff read the figures in the admin's zone (UTC unless TIME_ZONE says otherwise).
    zone = timezone.get_default_timezone()
    form, context = (None, {"figures": None})
    if company is not None:
        form, context = report_context(
            data=data, scope=reports.ReportScope(company_id=company.pk), zone=zone
        )
    return render(request, "admin/approvals/reports.html", {
        **admin.site.each_context(request),
        "title": "Approval reports",
        "companies": companies, "company": company, "form": form, **context,
    }, status=400 if form is not None and form.errors else 200)
