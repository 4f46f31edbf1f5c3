from django.contrib import admin

from .models import Invite, Job, Proposal


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["title", "company", "status", "contract_type", "posted_by", "created_at"]
    list_filter = ["status", "contract_type", "company"]
    list_select_related = ["company", "posted_by"]
    search_fields = ["title", "skills", "company__name"]
    autocomplete_fields = ["company", "posted_by"]


@admin.register(Invite)
class InviteAdmin(admin.ModelAdmin):
    list_display = ["job", "freelancer", "source", "state", "invited_by", "created_at"]
    list_filter = ["source", "state"]
    list_select_related = ["job", "freelancer", "invited_by"]
    search_fields = ["job__title", "freelancer__email", "freelancer__full_name"]
    autocomplete_fields = ["job", "freelancer", "invited_by"]


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    list_display = ["job", "freelancer", "connects_spent", "created_at"]
    list_select_related = ["job", "freelancer"]
    search_fields = ["job__title", "freelancer__email", "freelancer__full_name"]
    autocomplete_fields = ["job", "freelancer"]
