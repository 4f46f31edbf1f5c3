from django.contrib import admin

from .models import Offer, OfferRevision


class OfferRevisionInline(admin.TabularInline):
    model = OfferRevision
    extra = 0
    can_delete = False
    fields = ["number", "title", "contract_type", "amount", "currency", "weekly_hour_limit",
              "start_date", "created_by", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Offer)
class OfferAdmin(admin.ModelAdmin):
    """Offers change state only through the services (which also move the approval), so the
    state, revision and approval are read-only here."""

    list_display = ["title", "company", "freelancer_display", "offer_type", "amount", "currency",
                    "state", "revision", "approval_request", "sent_at"]
    list_filter = ["state", "offer_type", "contract_type", "company"]
    list_select_related = ["company", "freelancer", "approval_request"]
    search_fields = ["title", "freelancer__email", "freelancer__full_name", "freelancer_email",
                     "company__name"]
    readonly_fields = ["state", "revision", "approval_request", "created_by", "sent_at", "responded_at",
                       "withdrawn_at", "decline_reason", "updated_at"]
    autocomplete_fields = ["company", "job", "freelancer"]
    inlines = [OfferRevisionInline]

    @admin.display(description="Freelancer")
    def freelancer_display(self, obj):
        return obj.freelancer_display
