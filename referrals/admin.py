from django.contrib import admin

from .models import BetaOverride, Referral, ReferralSettings
from .selectors import HIRED, referral_beta_bucket


class OutcomeFilter(admin.SimpleListFilter):
    title = "outcome"
    parameter_name = "outcome"

    def lookups(self, request, model_admin):
        return Referral.Outcome.choices

    def queryset(self, request, queryset):
        value = self.value()
        if value == Referral.Outcome.HIRED:
            return queryset.filter(HIRED)
        if value in (Referral.Outcome.PENDING, Referral.Outcome.ACCEPTED, Referral.Outcome.DECLINED):
            return queryset.filter(~HIRED, new_invite__state=value)
        return queryset


@admin.register(Referral)
class ReferralAdmin(admin.ModelAdmin):
    list_display = ["created_at", "referrer", "referred", "job", "company", "outcome_display"]
    list_filter = [OutcomeFilter, "created_at", "job__company"]
    list_select_related = ["referrer", "referred", "job__company", "new_invite"]
    search_fields = [
        "referrer__email", "referrer__full_name", "referred__email", "referred__full_name", "job__title",
    ]
    date_hierarchy = "created_at"
    readonly_fields = [
        "job", "referrer", "referred", "original_invite", "new_invite", "note", "created_at",
    ]

    @admin.display(description="company", ordering="job__company__name")
    def company(self, obj):
        return obj.job.company

    @admin.display(description="outcome")
    def outcome_display(self, obj):
        return obj.outcome_label

    def has_add_permission(self, request):
        # Referrals are made by freelancers through Decline and refer, never by hand.
        return False

    def has_change_permission(self, request, obj=None):
        # Every field is a record of what happened: nothing to edit.
        return False

    def has_delete_permission(self, request, obj=None):
        # Deleting one would leave its invite "Referred by" nobody and let the declined invite
        # refer a second time. (Deleting a user or job still cascades.)
        return False


@admin.register(ReferralSettings)
class ReferralSettingsAdmin(admin.ModelAdmin):
    """One row: the rollout percentage and the daily cap. Opening the list creates it."""

    list_display = ["__str__", "rollout_percentage", "daily_referral_cap", "updated_at"]
    list_editable = ["rollout_percentage", "daily_referral_cap"]
    list_display_links = ["__str__"]

    def changelist_view(self, request, extra_context=None):
        ReferralSettings.load()
        return super().changelist_view(request, extra_context)

    def has_add_permission(self, request):
        return not ReferralSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(BetaOverride)
class BetaOverrideAdmin(admin.ModelAdmin):
    list_display = ["user", "mode", "bucket", "note", "created_at"]
    list_filter = ["mode"]
    list_editable = ["mode"]
    list_select_related = ["user"]
    search_fields = ["user__email", "user__full_name"]
    autocomplete_fields = ["user"]

    @admin.display(description="bucket (0–99)")
    def bucket(self, obj):
        return referral_beta_bucket(user_id=obj.user_id)
