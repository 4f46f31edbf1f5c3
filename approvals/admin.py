"""Admin: requests are an audit view. Every field, the state above all, is read-only; the
only way to change a state here is the "Expire" action, which goes through the service
(approve and decline stay with the assigned approver, by the rules of the lifecycle)."""

from django.contrib import admin, messages

from . import services
from .models import ApprovalRequest, ApprovalTransition


class ApprovalTransitionInline(admin.TabularInline):
    model = ApprovalTransition
    extra = 0
    can_delete = False
    fields = ["created_at", "name", "source_state", "target_state", "actor", "comment"]
    readonly_fields = fields
    ordering = ["created_at", "id"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")


@admin.register(ApprovalRequest)
class ApprovalRequestAdmin(admin.ModelAdmin):
    list_display = [
        "title", "state", "company", "requester", "approver", "freelancer_display", "expires_at",
        "created_at",
    ]
    list_filter = ["state", "company", "offer_type", "contract_type", "expires_at", "created_at"]
    list_select_related = ["company", "requester", "approver", "freelancer"]
    search_fields = [
        "title", "requester__email", "approver__email", "freelancer__email", "freelancer__full_name",
        "freelancer_name", "freelancer_email",
    ]
    date_hierarchy = "created_at"
    inlines = [ApprovalTransitionInline]
    actions = ["expire_past_expiry"]
    fieldsets = [
        (None, {"fields": ["state", "company", "requester", "approver", "expires_at"]}),
        ("Offer", {"fields": [
            "title", "job", "offer_type", "freelancer", "freelancer_name", "freelancer_email",
            "contract_type", "amount", "currency", "weekly_hour_limit", "start_date", "justification",
        ]}),
        ("Decision", {"fields": [
            "decision_comment", "decided_at", "consumed_at", "expired_at", "reminded_at",
            "resubmission_of", "created_at", "updated_at",
        ]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        return [f for fieldset in self.fieldsets for f in fieldset[1]["fields"]]

    def has_add_permission(self, request):
        # Requests are created by hiring managers, through the form and its rules.
        return False

    def has_change_permission(self, request, obj=None):
        # Nothing here is edited by hand: the page is a read-only view (no Save buttons that
        # could only fail); the Expire action goes through the service.
        return False

    def has_delete_permission(self, request, obj=None):
        # Deleting a request would erase its audit trail (the log cascades); expire it instead.
        return False

    @admin.display(description="Freelancer")
    def freelancer_display(self, obj):
        return obj.freelancer_display

    @admin.action(description="Expire the selected requests whose window has passed")
    def expire_past_expiry(self, request, queryset):
        expired, refused = 0, []
        for pk in queryset.values_list("pk", flat=True):
            try:
                services.approval_request_expire(approval_request_id=pk, actor=request.user)
            except services.ApprovalError as exc:
                refused.append(f"#{pk}: {exc}")
            else:
                expired += 1
        if expired:
            self.message_user(request, f"Expired {expired} request(s).", messages.SUCCESS)
        if refused:
            self.message_user(request, "Not expired: " + "; ".join(refused), messages.WARNING)
