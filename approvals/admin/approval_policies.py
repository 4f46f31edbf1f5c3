"""Policies: which offers need approval at a company, and the ordered steps that decide them."""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponseRedirect
from django.urls import reverse

from accounts.models import User
from approvals import policies
from approvals.models import MAX_POLICY_STEPS, ApprovalPolicy, PolicyStep


def _for_staff(reason: str) -> str:
    """A refusal written for the requester, as a clause for staff: its first sentence (the
    step and what it lacks), without the advice to ask the company admin."""
    reason = reason.split(" Ask your company admin")[0].rstrip(".")
    return reason[:1].lower() + reason[1:]


def blocked_managers(company_id: int) -> list[str]:
    """Each hiring manager who could never get an approval under the company's saved policy,
    with the step that stops them."""
    policy = policies.policy_for(company_id)
    return [
        f"{manager} <{manager.email}>: {_for_staff(reason)}"
        for manager, reason in policies.managers_who_cannot_get_approval(
            company_id=company_id, policy=policy
        )
    ]


def _person_label(user) -> str:
    return f"{user.full_name} <{user.email}>" if user.full_name else user.email


class PolicyStepFormSet(BaseInlineFormSet):
    """The steps of one policy, checked together (``policies.validate_steps`` and the two rules
    that span steps); any refusal saves nothing."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        field = form.fields.get("approvers")
        if field is not None:
            field.queryset = self.approver_choices()
            field.label_from_instance = _person_label

    def approver_choices(self):
        """The company's active approvers, and whoever a step already names (a person who
        lost the role stays visible, so staff see them and the check below names them)."""
        policy = self.instance
        named = PolicyStep.approvers.through.objects.filter(policystep__policy_id=policy.pk)
        return User.objects.filter(
            Q(membership__company_id=policy.company_id, membership__is_approver=True, is_active=True)
            | Q(pk__in=named.values("user_id"))
        ).distinct().order_by("full_name", "email")

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        kept = [
            form.cleaned_data for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        errors = []
        positions = [step["position"] for step in kept]
        for position in sorted({p for p in positions if positions.count(p) > 1}):
            errors.append(f"Two steps have position {position}: give each step its own position.")
        chosen = [step["name"] for step in kept if step.get("chosen_by_requester")]
        if len(chosen) > 1:
            errors.append(
                "Only one step can have its approver chosen by the requester (the request form "
                f"asks for one approver): {', '.join(f'“{name}”' for name in chosen)}."
            )
        errors += policies.validate_steps(
            [policies.StepSpec(
                position=step["position"], name=step["name"],
                chosen_by_requester=step.get("chosen_by_requester", False), rule=step["rule"],
                required_count=step.get("required_count"), approvers=list(step.get("approvers", [])),
                condition_currency=step.get("condition_currency", ""),
                min_fixed_price=step.get("min_fixed_price"), min_hourly_rate=step.get("min_hourly_rate"),
            ) for step in kept],
            company_id=self.instance.company_id,
        )
        if errors:
            raise ValidationError(errors)


class PolicyStepInline(admin.StackedInline):
    model = PolicyStep
    formset = PolicyStepFormSet
    extra = 0
    max_num = MAX_POLICY_STEPS
    ordering = ["position", "id"]
    fields = [
        "position", "name", "chosen_by_requester", "approvers", "rule", "required_count",
        "condition_currency", "min_fixed_price", "min_hourly_rate",
    ]
    filter_horizontal = ["approvers"]


@admin.register(ApprovalPolicy)
class ApprovalPolicyAdmin(admin.ModelAdmin):
    """A company's policy. Steps are added once the policy exists, because their approvers are
    the company's; a policy without steps uses the default (one approver chosen by the
    requester). The change page warns about every hiring manager the saved policy leaves
    without a possible approval."""

    list_display = ["company", "applies_to", "step_count", "approvals_enabled", "updated_at"]
    filter_horizontal = ["escalation_contacts"]
    list_filter = ["applies_to", "company__approvals_enabled"]
    list_select_related = ["company"]
    search_fields = ["company__name"]
    ordering = ["company__name"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(step_count=Count("steps"))

    def get_inlines(self, request, obj):
        return [PolicyStepInline] if obj is not None else []

    def get_fieldsets(self, request, obj=None):
        description = None if obj is not None else (
            "Save the policy, then add its steps (their approvers are the company's). Until it "
            "has steps the default applies: one approver, chosen by the requester."
        )
        fieldsets = [(None, {"fields": ["company", "applies_to"], "description": description})]
        if obj is not None:
            fieldsets += [
                ("Escalation", {
                    "fields": ["escalation_days", "escalation_contacts"],
                    "description": "A decision pending longer than this many days (from when its "
                    "step became active) notifies these contacts once. Empty: no escalation.",
                }),
                ("Offer changes that need a new approval", {
                    "fields": [
                        "modify_max_increase_percent", "modify_contract_type_needs_approval",
                        "modify_weekly_limit_needs_approval",
                    ],
                    "description": "What a modification of an offer may change and keep its "
                    "approval. An empty percentage: any increase carries over.",
                }),
            ]
        return fieldsets

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "escalation_contacts":
            from accounts.models import User

            policy_id = request.resolver_match.kwargs.get("object_id") if request.resolver_match else None
            company_id = (
                ApprovalPolicy.objects.filter(pk=policy_id).values_list("company_id", flat=True).first()
                if policy_id else None
            )
            kwargs["queryset"] = User.objects.filter(
                membership__company_id=company_id, is_active=True
            ).order_by("full_name", "email")
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        # The steps name this company's approvers: the policy cannot move to another company.
        return ["company"] if obj is not None else []

    @admin.display(description="steps", ordering="step_count")
    def step_count(self, policy):
        return policy.step_count or "default"

    @admin.display(description="approvals enabled", boolean=True, ordering="company__approvals_enabled")
    def approvals_enabled(self, policy):
        return policy.company.approvals_enabled

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET":
            policy = self.get_object(request, unquote(object_id))
            if policy is not None:
                self.warn_blocked_managers(request, policy)
        return super().change_view(request, object_id, form_url, extra_context)

    def response_add(self, request, obj, post_url_continue=None):
        self.message_user(request, f"{obj} was added. Now add its steps.", messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:approvals_approvalpolicy_change", args=[obj.pk]))

    def response_change(self, request, obj):
        # "Save and continue editing" comes back here with a GET, which warns.
        if "_continue" not in request.POST:
            self.warn_blocked_managers(request, obj)
        return super().response_change(request, obj)

    def warn_blocked_managers(self, request, policy):
        for blocked in blocked_managers(policy.company_id):
            self.message_user(
                request, f"Could never get an approval under this policy: {blocked}.", messages.WARNING
            )
