"""Requests: an audit view, the chain copied onto each request included."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.timezone import localtime

from approvals import services
from approvals.models import (
    ApprovalRequest,
    ApprovalTransition,
    Decision,
    RequestStep,
    State,
    StepApprover,
    StepState,
)


class ApprovalTransitionInline(admin.TabularInline):
    model = ApprovalTransition
    extra = 0
    can_delete = False
    fields = ["created_at", "name", "step_name", "source_state", "target_state", "actor", "comment"]
    readonly_fields = fields
    ordering = ["created_at", "id"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")


class RequestStepInline(admin.TabularInline):
    """The request's chain as it was copied from the policy, with every approver's decision."""

    model = RequestStep
    verbose_name = "step"
    verbose_name_plural = "approval chain (copied from the policy when the request was created)"
    extra = 0
    can_delete = False
    fields = ["position", "name", "rule_label", "condition_and_outcome", "state", "activated_at",
              "completed_at", "decisions"]
    readonly_fields = fields
    ordering = ["position", "id"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        seats = StepApprover.objects.select_related("approver").order_by("id")
        return super().get_queryset(request).prefetch_related(Prefetch("approvers", queryset=seats))

    @admin.display(description="rule")
    def rule_label(self, step):
        return step.rule_display

    @admin.display(description="condition")
    def condition_and_outcome(self, step):
        if not step.condition:
            return "Always applies"
        return format_html("{}<br>{}", step.condition, step.condition_outcome)

    @admin.display(description="approvers and their decisions")
    def decisions(self, step):
        seats = step.approvers.all()
        if not seats:
            return "—"
        return format_html("<ul>{}</ul>", format_html_join(
            "", "<li>{}</li>", ((_decision_text(seat),) for seat in seats)
        ))


def _decision_text(seat: StepApprover) -> str:
    text = f"{seat.approver} <{seat.approver.email}>: {seat.get_decision_display()}"
    if seat.decided_at:
        text += f", {date_format(localtime(seat.decided_at), 'DATETIME_FORMAT')}"
    if seat.comment:
        text += f": “{seat.comment}”"
    return text


class ReassignForm(forms.Form):
    seat = forms.ChoiceField(label="Decision to move")
    new_approver = forms.ModelChoiceField(queryset=None, label="Move it to")
    reason = forms.CharField(max_length=500, widget=forms.Textarea(attrs={"rows": 3}),
                             help_text="Both approvers read it, and the audit trail keeps it.")

    def __init__(self, *args, approval_request, **kwargs):
        from accounts.models import User

        super().__init__(*args, **kwargs)
        seats = StepApprover.objects.filter(
            request=approval_request, decision=Decision.PENDING,
            step__state__in=[StepState.ACTIVE, StepState.WAITING],
        ).select_related("step", "approver").order_by("step__position", "id")
        self.fields["seat"].choices = [(seat.pk, f"{seat.step.name}: {seat.approver}") for seat in seats]
        self.fields["new_approver"].queryset = User.objects.filter(
            membership__company_id=approval_request.company_id, membership__is_approver=True,
            is_active=True,
        ).exclude(pk=approval_request.requester_id).order_by("full_name", "email")


@admin.register(ApprovalRequest)
class ApprovalRequestAdmin(admin.ModelAdmin):
    list_display = [
        "title", "state", "company", "requester", "chain_status", "freelancer_display", "expires_at",
        "created_at",
    ]
    list_filter = ["state", "company", "offer_type", "contract_type", "expires_at", "created_at"]
    list_select_related = ["company", "requester", "freelancer"]
    # Every approver of the chain is found by email, the chosen one included (they are a step's).
    search_fields = [
        "title", "requester__email", "step_approvers__approver__email", "freelancer__email",
        "freelancer__full_name", "freelancer_name", "freelancer_email",
    ]
    date_hierarchy = "created_at"
    inlines = [RequestStepInline, ApprovalTransitionInline]
    actions = ["expire_past_expiry"]
    fieldsets = [
        (None, {"fields": ["state", "company", "requester", "approver", "expires_at", "reassign"]}),
        ("Offer", {"fields": [
            "title", "job", "offer_type", "freelancer", "freelancer_name", "freelancer_email",
            "contract_type", "amount", "currency", "weekly_hour_limit", "start_date", "justification",
        ]}),
        ("Decision", {"fields": [
            "decided_by_names", "decision_comment", "decided_at", "consumed_at", "expired_at",
            "cancelled_at", "cancel_reason",
            "reminded_at", "resubmission_of", "created_at", "updated_at",
        ]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        return [f for fieldset in self.fieldsets for f in fieldset[1]["fields"]]

    def get_queryset(self, request):
        # The "approvers" column: the active step and its undecided approvers, for the whole
        # page in two queries.
        waiting = StepApprover.objects.filter(decision=Decision.PENDING).select_related("approver")
        active = RequestStep.objects.filter(state=StepState.ACTIVE).prefetch_related(
            Prefetch("approvers", queryset=waiting.order_by("id"), to_attr="waiting_seats")
        )
        return super().get_queryset(request).prefetch_related(
            Prefetch("steps", queryset=active, to_attr="active_steps")
        )

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

    @admin.display(description="Reassign")
    def reassign(self, obj):
        if obj is None or obj.pk is None or obj.state != State.PENDING:
            return "—"
        return format_html(
            '<a href="{}">Move a pending decision to another approver</a>',
            reverse("admin:approvals_approvalrequest_reassign", args=[obj.pk]),
        )

    def get_urls(self):
        urls = [
            path(
                "<int:pk>/reassign/", self.admin_site.admin_view(self.reassign_view),
                name="approvals_approvalrequest_reassign",
            ),
        ]
        return urls + super().get_urls()

    def reassign_view(self, request, pk):
        """Staff move an undecided decision to another approver, with a reason (the service
        checks everything again under the request's lock)."""
        if not request.user.has_perm("approvals.change_stepapprover"):
            raise PermissionDenied
        approval_request = get_object_or_404(ApprovalRequest.objects.select_related("company"), pk=pk)
        form = ReassignForm(request.POST or None, approval_request=approval_request)
        if request.method == "POST" and form.is_valid():
            try:
                seat = services.step_approver_reassign(
                    step_approver_id=int(form.cleaned_data["seat"]),
                    new_approver=form.cleaned_data["new_approver"], actor=request.user,
                    reason=form.cleaned_data["reason"],
                )
            except services.ApprovalError as exc:
                form.add_error(None, str(exc))
            else:
                self.message_user(
                    request, f"Moved to {seat.approver}; both approvers were told.", messages.SUCCESS
                )
                return redirect("admin:approvals_approvalrequest_change", approval_request.pk)
        return render(request, "admin/approvals/reassign.html", {
            **self.admin_site.each_context(request), "form": form, "original": approval_request,
            "opts": self.model._meta, "title": f"Reassign a decision on “{approval_request.title}”",
        })

    @admin.display(description="Freelancer")
    def freelancer_display(self, obj):
        return obj.freelancer_display

    @admin.display(description="Approvers")
    def chain_status(self, obj):
        """Pending: the active step and who it waits for. Decided: who approved or declined."""
        if obj.state == State.PENDING and obj.active_steps:
            step = obj.active_steps[0]
            names = ", ".join(str(seat.approver) for seat in step.waiting_seats)
            return f"{step.name}: waiting for {names}"
        return obj.decided_by_names or "—"

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
