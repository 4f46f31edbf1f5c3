from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import UserChangeForm as BaseUserChangeForm
from django.contrib.auth.forms import UserCreationForm as BaseUserCreationForm

from .delivery import notifications_retry
from .models import Company, ConnectsLedgerEntry, FreelancerProfile, Membership, Notification, User
from .services import connects_set_balance


class UserCreationForm(BaseUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name")


class UserChangeForm(BaseUserChangeForm):
    class Meta:
        model = User
        fields = [
            "email", "password", "full_name", "is_active", "is_staff", "is_superuser",
            "groups", "user_permissions", "last_login", "date_joined",
        ]


class MembershipInline(admin.StackedInline):
    model = Membership
    extra = 0
    max_num = 1
    autocomplete_fields = ["company"]


class FreelancerProfileInline(admin.StackedInline):
    model = FreelancerProfile
    extra = 0
    max_num = 1


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = UserChangeForm
    add_form = UserCreationForm
    ordering = ["email"]
    list_display = ["email", "full_name", "company", "is_freelancer", "is_active", "is_staff"]
    list_filter = ["is_active", "is_staff", "membership__company"]
    list_select_related = ["membership__company", "freelancer_profile"]
    search_fields = ["email", "full_name"]
    inlines = [MembershipInline, FreelancerProfileInline]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Personal info", {"fields": ("full_name",)}),
        (
            "Permissions",
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "full_name", "password1", "password2")}),
    )

    @admin.display(description="company")
    def company(self, obj):
        membership = obj.membership_or_none
        return membership.company if membership else "—"

    @admin.display(boolean=True, description="freelancer")
    def is_freelancer(self, obj):
        return obj.is_freelancer


class CompanyMembershipInline(admin.TabularInline):
    """Staff designate hiring managers and approvers from the company page."""

    model = Membership
    extra = 1
    autocomplete_fields = ["user"]
    fields = ["user", "is_hiring_manager", "is_approver"]


class CompanyAdminForm(forms.ModelForm):
    class Meta:
        model = Company
        fields = [
            "name", "is_enterprise", "approvals_enabled",
            "decision_window_days", "approval_validity_days",
        ]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("approvals_enabled") and not cleaned.get("is_enterprise"):
            self.add_error(
                "approvals_enabled", "Only enterprise accounts can enable approvals."
            )
        return cleaned


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    form = CompanyAdminForm
    list_display = [
        "name", "is_enterprise", "approvals_enabled", "decision_window_days",
        "approval_validity_days", "created_at",
    ]
    list_filter = ["is_enterprise", "approvals_enabled"]
    search_fields = ["name"]
    inlines = [CompanyMembershipInline]
    actions = ["enable_approvals", "disable_approvals"]

    @admin.action(description="Enable approvals for selected enterprise companies")
    def enable_approvals(self, request, queryset):
        enterprise = queryset.filter(is_enterprise=True)
        updated = enterprise.update(approvals_enabled=True)
        skipped = queryset.count() - updated
        self.message_user(request, f"Approvals enabled for {updated} companies.")
        if skipped:
            self.message_user(
                request,
                f"{skipped} companies were skipped: only enterprise accounts can enable approvals.",
                level="warning",
            )

    @admin.action(description="Disable approvals for selected companies")
    def disable_approvals(self, request, queryset):
        updated = queryset.update(approvals_enabled=False)
        self.message_user(request, f"Approvals disabled for {updated} companies.")


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "company", "is_hiring_manager", "is_approver"]
    list_filter = ["company", "is_hiring_manager", "is_approver"]
    list_select_related = ["user", "company"]
    search_fields = ["user__email", "user__full_name", "company__name"]
    autocomplete_fields = ["user", "company"]


class ConnectsLedgerInline(admin.TabularInline):
    """The profile's Connects history, newest first; read-only (services write it)."""

    model = ConnectsLedgerEntry
    extra = 0
    can_delete = False
    fields = ["created_at", "change", "balance_after", "reason", "reference", "description"]
    readonly_fields = fields
    ordering = ["-created_at", "-id"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(FreelancerProfile)
class FreelancerProfileAdmin(admin.ModelAdmin):
    inlines = [ConnectsLedgerInline]
    list_display = ["user", "title", "hourly_rate", "hourly_rate_currency", "connects_balance"]
    list_select_related = ["user"]
    search_fields = ["user__email", "user__full_name", "title", "skills"]
    autocomplete_fields = ["user"]

    def save_model(self, request, obj, form, change):
        """A balance edited by staff goes through the Connects service, which writes the ledger."""
        balance = obj.connects_balance
        saved = FreelancerProfile.objects.filter(pk=obj.pk).values_list("connects_balance", flat=True)
        obj.connects_balance = saved.get() if change else 0
        super().save_model(request, obj, form, change)
        obj.connects_balance = connects_set_balance(
            user_id=obj.user_id, balance=balance, actor=request.user
        ).connects_balance


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Read-only: notifications are written by the services and delivered by the relay. A failed
    email can be queued again with the "Retry email delivery" action."""

    list_display = [
        "created_at", "kind", "recipient_or_email", "email_state", "email_attempts", "short_last_error",
    ]
    list_filter = ["email_state", "kind"]
    list_select_related = ["recipient"]
    search_fields = ["email", "key", "title", "recipient__email"]
    date_hierarchy = "created_at"
    actions = ["retry_email_delivery"]
    readonly_fields = [
        "key", "kind", "recipient", "email", "title", "link", "template", "context", "created_at",
        "read_at", "email_state", "email_attempts", "email_next_attempt_at", "email_last_error",
        "email_sent_at", "email_message_id",
    ]

    @admin.display(description="To", ordering="email")
    def recipient_or_email(self, obj):
        return obj.recipient or obj.email

    @admin.display(description="Last error")
    def short_last_error(self, obj):
        return obj.email_last_error[:120]

    @admin.action(description="Retry email delivery")
    def retry_email_delivery(self, request, queryset):
        retried = notifications_retry(notification_ids=queryset.values_list("pk", flat=True))
        skipped = queryset.count() - retried
        message = f"{retried} email{'s' if retried != 1 else ''} queued for delivery again."
        if skipped:
            message += f" {skipped} not failed, left as they are."
        self.message_user(request, message)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ConnectsLedgerEntry)
class ConnectsLedgerEntryAdmin(admin.ModelAdmin):
    """Read-only: entries are written by the services together with the balance change."""

    list_display = ["created_at", "freelancer", "change", "balance_after", "reason", "reference"]
    list_filter = ["reason"]
    list_select_related = ["freelancer__user"]
    search_fields = ["freelancer__user__email", "freelancer__user__full_name", "reference"]
    readonly_fields = [
        "freelancer", "change", "balance_after", "reason", "reference", "description", "created_at",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
