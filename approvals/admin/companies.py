"""Companies: accounts' CompanyAdmin with the checks only approvals can make (accounts sits
below approvals and cannot import it), registered again in its place."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.db.models import Count
from django.forms.models import BaseInlineFormSet
from django.urls import reverse
from django.utils.html import format_html

from accounts.admin import CompanyAdmin, CompanyAdminForm, CompanyMembershipInline
from accounts.models import Company, Membership
from approvals.models import ApprovalPolicy

from .approval_policies import blocked_managers


def approvals_refusal(company: Company) -> str | None:
    """Why approvals cannot be switched on for the company, with its roles and policy as saved
    now; None when at least one hiring manager could get an approval (the policy page warns
    about the others)."""
    managers = 0 if company.pk is None else Membership.objects.filter(
        company_id=company.pk, is_hiring_manager=True, user__is_active=True
    ).count()
    if not managers:
        return (
            f"Approvals cannot be enabled for {company.name}: it has no hiring manager. "
            "Give someone the hiring manager role first."
        )
    blocked = blocked_managers(company.pk)
    if len(blocked) < managers:
        return None
    return (
        f"Approvals cannot be enabled for {company.name}: no hiring manager could get an approval — "
        + "; ".join(blocked) + "."
    )


def switches_approvals_on(company: Company) -> bool:
    """The company's approvals are on in the form and off in the database."""
    return company.approvals_enabled and not (
        company.pk and Company.objects.filter(pk=company.pk, approvals_enabled=True).exists()
    )


class _DryRun(Exception):
    """Rolls back a savepoint whose writes were made only to be checked."""


def approvals_refusal_with_posted_roles(company: Company, formset) -> str | None:
    """``approvals_refusal`` as if the memberships posted with the company page were saved:
    staff may grant the roles and switch approvals on in one save. The roles are written in a
    savepoint, checked by the same rule, and rolled back."""
    try:
        with transaction.atomic():
            if company.pk is None:
                company = Company.objects.create(name=company.name, is_enterprise=company.is_enterprise)
            for form in formset.forms:
                membership = form.instance
                if formset.can_delete and form.cleaned_data.get("DELETE"):
                    Membership.objects.filter(pk=membership.pk).delete()
                elif form.has_changed():
                    Membership.objects.update_or_create(pk=membership.pk, defaults={
                        "company_id": company.pk, "user_id": membership.user_id,
                        "is_hiring_manager": membership.is_hiring_manager,
                        "is_approver": membership.is_approver,
                    })
            raise _DryRun(approvals_refusal(company))
    except _DryRun as dry_run:
        return dry_run.args[0]
    except DatabaseError:
        return None  # the posted roles clash in the database: the real save reports it


class CompanyMembershipFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(self.errors) or not switches_approvals_on(self.instance):
            return
        refusal = approvals_refusal_with_posted_roles(self.instance, self)
        if refusal:
            raise ValidationError(refusal)


class ApprovalsCompanyMembershipInline(CompanyMembershipInline):
    formset = CompanyMembershipFormSet


class ApprovalsCompanyAdminForm(CompanyAdminForm):
    # Set by get_form: when the roles inline is on the page, its formset checks (with the
    # roles as posted); otherwise this form checks the roles as saved.
    roles_checked_by_inline = False

    def clean(self):
        cleaned = super().clean()
        if (
            not self.roles_checked_by_inline and cleaned.get("approvals_enabled")
            and not self.has_error("approvals_enabled") and not self.initial.get("approvals_enabled")
        ):
            refusal = approvals_refusal(self.instance)
            if refusal:
                self.add_error("approvals_enabled", refusal)
        return cleaned


admin.site.unregister(Company)


@admin.register(Company)
class ApprovalsCompanyAdmin(CompanyAdmin):
    form = ApprovalsCompanyAdminForm
    inlines = [ApprovalsCompanyMembershipInline]
    readonly_fields = ["policy_link"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.roles_checked_by_inline = any(
            isinstance(inline, ApprovalsCompanyMembershipInline)
            for inline in self.get_inline_instances(request, obj)
        )
        return form

    @admin.display(description="approval policy")
    def policy_link(self, company):
        if company.pk is None:
            return "Save the company first."
        policy = ApprovalPolicy.objects.filter(company_id=company.pk).annotate(
            step_count=Count("steps")
        ).first()
        if policy is None:
            url = reverse("admin:approvals_approvalpolicy_add") + f"?company={company.pk}"
            return format_html(
                '<a href="{}">Create an approval policy</a> (until then: the default, one '
                "approver chosen by the requester, for every offer type)", url,
            )
        url = reverse("admin:approvals_approvalpolicy_change", args=[policy.pk])
        steps = f"{policy.step_count} step{'s' if policy.step_count != 1 else ''}"
        return format_html(
            '<a href="{}">Edit the approval policy</a> ({}; {})', url,
            policy.get_applies_to_display(), steps if policy.step_count else "no steps: the default",
        )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if form.instance.approvals_enabled:
            self.warn_blocked_managers(request, form.instance)

    def warn_blocked_managers(self, request, company):
        for blocked in blocked_managers(company.pk):
            self.message_user(
                request, f"{company}: could never get an approval: {blocked}.", messages.WARNING
            )

    @admin.action(description="Enable approvals for selected enterprise companies")
    def enable_approvals(self, request, queryset):
        enabled, refusals, skipped = [], [], 0
        for company in queryset.order_by("name"):
            if not company.is_enterprise:
                skipped += 1
            elif refusal := None if company.approvals_enabled else approvals_refusal(company):
                refusals.append(refusal)
            else:
                enabled.append(company)
        updated = Company.objects.filter(pk__in=[company.pk for company in enabled]).update(
            approvals_enabled=True
        )
        if updated or not refusals:
            self.message_user(request, f"Approvals enabled for {updated} companies.")
        for refusal in refusals:
            self.message_user(request, refusal, messages.ERROR)
        if skipped:
            self.message_user(
                request,
                f"{skipped} companies were skipped: only enterprise accounts can enable approvals.",
                level=messages.WARNING,
            )
        for company in enabled:
            self.warn_blocked_managers(request, company)
