"""A company's approval policy, read and applied: which offers need approval, and the chain
of steps a new request gets.

A company without an ApprovalPolicy row uses the default policy: every offer type, one step
"Approver" whose approver the requester chooses. That is how Greenlight worked before policies,
so a company that configures nothing behaves as it always did.

``plan_chain`` turns the policy into the steps of one request, fixed at creation: the steps
whose condition applies (the others are recorded as skipped, with the reason), their eligible
approvers (active members who still hold the approver role, never the requester) and how many
approvals each needs. A step that cannot be satisfied refuses the request, naming the step.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from accounts.models import Company, User
from jobs.terms import ContractType, format_money

from .models import (
    MAX_POLICY_STEPS,
    MAX_STEP_APPROVERS,
    ApprovalPolicy,
    Coverage,
    PolicyStep,
    StepRule,
    StepState,
    covers,
    required_approvals,
    rule_label,
)

DEFAULT_STEP_NAME = "Approver"


class PolicyError(Exception):
    """A request the policy cannot route, with a message fit to show the requester."""


@dataclass
class StepSpec:
    """One step of a policy, read from the database or the default."""

    position: int
    name: str
    chosen_by_requester: bool = False
    rule: str = StepRule.ANY
    required_count: int | None = None
    approvers: list = field(default_factory=list)  # User rows, in name order
    condition_currency: str = ""
    min_fixed_price: Decimal | None = None
    min_hourly_rate: Decimal | None = None

    @property
    def has_condition(self) -> bool:
        return bool(self.condition_currency) and (
            self.min_fixed_price is not None or self.min_hourly_rate is not None
        )

    @property
    def rule_display(self) -> str:
        if self.chosen_by_requester:
            return "Chosen by the requester"
        return rule_label(self.rule, self.required_count)


@dataclass
class PolicySpec:
    applies_to: str
    steps: list[StepSpec]
    is_default: bool = False

    def covers(self, offer_type: str) -> bool:
        return covers(self.applies_to, offer_type)

    @property
    def has_chosen_step(self) -> bool:
        return any(step.chosen_by_requester for step in self.steps)


@dataclass
class PlannedStep:
    """One step of a new request's chain."""

    spec: StepSpec
    state: str  # StepState.WAITING or SKIPPED (the first applying step is made active)
    approvers: list  # the eligible approvers (the chosen one, for a chosen step)
    required_count: int
    condition: str = ""
    condition_outcome: str = ""


def default_policy() -> PolicySpec:
    return PolicySpec(
        applies_to=Coverage.ALL,
        steps=[StepSpec(position=1, name=DEFAULT_STEP_NAME, chosen_by_requester=True)],
        is_default=True,
    )


def policy_for(company: Company | int) -> PolicySpec:
    """The company's policy as it stands now (the default when it has none): two queries."""
    company_id = company if isinstance(company, int) else company.pk
    policy = (
        ApprovalPolicy.objects.filter(company_id=company_id)
        .prefetch_related("steps__approvers")
        .first()
    )
    if policy is None or not policy.steps.all():
        spec = default_policy()
        if policy is not None:
            spec.applies_to = policy.applies_to
        return spec
    return PolicySpec(
        applies_to=policy.applies_to,
        steps=[spec_of(step) for step in policy.steps.all()],
    )


def spec_of(step: PolicyStep) -> StepSpec:
    return StepSpec(
        position=step.position,
        name=step.name,
        chosen_by_requester=step.chosen_by_requester,
        rule=step.rule,
        required_count=step.required_count,
        approvers=sorted(step.approvers.all(), key=lambda user: (user.full_name, user.email)),
        condition_currency=step.condition_currency,
        min_fixed_price=step.min_fixed_price,
        min_hourly_rate=step.min_hourly_rate,
    )


def approver_ids_of(company_id: int) -> set[int]:
    """Members who may decide requests now: active users holding the approver role."""
    return set(
        User.objects.filter(
            membership__company_id=company_id, membership__is_approver=True, is_active=True
        ).values_list("pk", flat=True)
    )


def condition_text(step: StepSpec) -> str:
    """The condition as the request page shows it."""
    if not step.has_condition:
        return ""
    parts = []
    if step.min_fixed_price is not None:
        parts.append(f"{format_money(step.min_fixed_price, step.condition_currency)} fixed")
    if step.min_hourly_rate is not None:
        parts.append(f"{format_money(step.min_hourly_rate, step.condition_currency)} an hour")
    return "When the amount is at least " + " or ".join(parts)


def condition_applies(
    step: StepSpec, *, contract_type: str, amount: Decimal, currency: str
) -> tuple[bool, str]:
    """Whether a conditional step applies to these terms, and why, in words."""
    if not step.has_condition:
        return True, ""
    hourly = contract_type == ContractType.HOURLY
    threshold = step.min_hourly_rate if hourly else step.min_fixed_price
    what = "an hourly rate" if hourly else "a fixed price"
    if threshold is None:
        return True, f"Applies: the condition sets no threshold for {what}."
    if currency != step.condition_currency:
        return True, (
            f"Applies: the request is in {currency} and the threshold in "
            f"{step.condition_currency}, so they cannot be compared."
        )
    asked = format_money(amount, currency)
    limit = format_money(threshold, currency)
    if amount >= threshold:
        return True, f"Applies: {asked} is at least {limit}."
    return False, f"Skipped: {asked} is below {limit}."


def plan_chain(
    *, policy: PolicySpec, company_id: int, requester, chosen_approver, contract_type: str,
    amount: Decimal, currency: str, approver_ids: set[int] | None = None,
) -> list[PlannedStep]:
    """The steps of a new request under ``policy``; raises PolicyError naming a step that
    cannot be satisfied. ``chosen_approver`` is the requester's pick for a chosen step."""
    if approver_ids is None:
        approver_ids = approver_ids_of(company_id)
    planned = []
    for step in policy.steps:
        applies, outcome = condition_applies(
            step, contract_type=contract_type, amount=amount, currency=currency
        )
        if step.chosen_by_requester:
            approvers = [chosen_approver] if chosen_approver is not None else []
            if applies and chosen_approver is None:
                raise PolicyError(f"Choose an approver for the step “{step.name}”.")
            if applies and (
                chosen_approver.pk == requester.pk or chosen_approver.pk not in approver_ids
            ):
                raise PolicyError(
                    "You cannot approve your own request: choose another approver."
                    if chosen_approver.pk == requester.pk
                    else "Choose an approver of your company."
                )
            needed = 1
        else:
            approvers = [
                user for user in step.approvers if user.pk != requester.pk and user.pk in approver_ids
            ]
            needed = required_approvals(step.rule, step.required_count, len(approvers))
            if applies and (needed < 1 or len(approvers) < needed):
                raise PolicyError(unsatisfiable_message(step, eligible=len(approvers)))
        planned.append(PlannedStep(
            spec=step,
            state=StepState.WAITING if applies else StepState.SKIPPED,
            approvers=approvers,
            required_count=needed,
            condition=condition_text(step),
            condition_outcome=outcome,
        ))
    if not any(step.state != StepState.SKIPPED for step in planned):
        # Every step was conditional and none applied: nothing to decide, yet the company
        # requires approval. The request is refused rather than approved by nobody.
        raise PolicyError(
            "No step of your company's approval policy applies to these terms, so no one can "
            "approve them. Ask your company admin to review the policy."
        )
    return planned


def unsatisfiable_message(step: StepSpec, *, eligible: int) -> str:
    needed = required_approvals(step.rule, step.required_count, eligible)
    if eligible == 0:
        return (
            f"The step “{step.name}” has no approver who can decide your request (you cannot "
            "approve your own). Ask your company admin to add one to the approval policy."
        )
    return (
        f"The step “{step.name}” needs {needed} approvals but only {eligible} of its approvers "
        "can decide your request. Ask your company admin to review the approval policy."
    )


def managers_who_cannot_get_approval(*, company_id: int, policy: PolicySpec) -> list[tuple]:
    """Hiring managers of the company for whom some step could never be satisfied, whatever
    the terms: ``(manager, reason)`` pairs, for the admin's warnings.

    A conditional step counts: some offer would meet its condition. A chosen step needs some
    approver other than the manager.
    """
    approver_ids = approver_ids_of(company_id)
    managers = User.objects.filter(
        membership__company_id=company_id, membership__is_hiring_manager=True, is_active=True
    ).order_by("full_name", "email")
    blocked = []
    for manager in managers:
        for step in policy.steps:
            if step.chosen_by_requester:
                if not (approver_ids - {manager.pk}):
                    blocked.append((manager, f"no approver other than them for “{step.name}”"))
                    break
                continue
            eligible = [u for u in step.approvers if u.pk != manager.pk and u.pk in approver_ids]
            needed = required_approvals(step.rule, step.required_count, len(eligible))
            if needed < 1 or len(eligible) < needed:
                blocked.append((manager, unsatisfiable_message(step, eligible=len(eligible))))
                break
    return blocked


def validate_steps(steps: list[StepSpec], *, company_id: int) -> list[str]:
    """What is wrong with a policy's steps as staff entered them (the admin shows each)."""
    errors = []
    if len(steps) > MAX_POLICY_STEPS:
        errors.append(f"A policy has at most {MAX_POLICY_STEPS} steps.")
    approver_ids = approver_ids_of(company_id)
    for step in steps:
        if step.chosen_by_requester:
            continue
        if len(step.approvers) > MAX_STEP_APPROVERS:
            errors.append(f"“{step.name}” has more than {MAX_STEP_APPROVERS} approvers.")
        outsiders = [str(u) for u in step.approvers if u.pk not in approver_ids]
        if outsiders:
            errors.append(
                f"“{step.name}”: {', '.join(outsiders)} "
                f"{'is not an' if len(outsiders) == 1 else 'are not'} active approver"
                f"{'' if len(outsiders) == 1 else 's'} of this company."
            )
        if not step.approvers:
            errors.append(f"“{step.name}” needs approvers, or “approver chosen by the requester”.")
        if step.rule == StepRule.AT_LEAST:
            if not step.required_count:
                errors.append(f"“{step.name}”: give N for “at least N”.")
            elif step.required_count > len(step.approvers):
                errors.append(
                    f"“{step.name}” needs at least {step.required_count} approvals but has "
                    f"{len(step.approvers)} approvers."
                )
        if step.condition_currency and step.min_fixed_price is None and step.min_hourly_rate is None:
            errors.append(f"“{step.name}”: give a threshold for the condition's currency, or clear it.")
        if not step.condition_currency and (
            step.min_fixed_price is not None or step.min_hourly_rate is not None
        ):
            errors.append(f"“{step.name}”: choose the currency of the thresholds.")
    return errors


# Modifying an offer that uses an approval: what the policy lets it change and keep the approval.

def modification_needs_approval(
    *, approval_request, current: dict, new: dict,
) -> list[str]:
    """Why a modification of an offer, from its ``current`` terms to ``new`` ones (each a dict
    with contract_type, amount, currency, weekly_hour_limit), needs a new approval under the
    company's policy: one readable reason per term; empty when ``approval_request`` still carries.

    A term counts only when the modification changes it and the new value is not what was
    approved. The amount: up to ``modify_max_increase_percent`` above the approved amount keeps
    the approval, exactly at the edge included; a change of currency cannot be compared, so it
    needs one; an empty percentage lets any amount carry over (the default). The contract type and
    the weekly limit: any change, when the policy says so (a weekly limit that goes with a
    change of contract type is not counted twice).
    """
    policy = ApprovalPolicy.objects.filter(company_id=approval_request.company_id).first()
    if policy is None:
        return []
    reasons = []
    percent = policy.modify_max_increase_percent
    money_changed = (new["amount"], new["currency"]) != (current["amount"], current["currency"])
    if percent is not None and money_changed:
        approved = format_money(approval_request.amount, approval_request.currency)
        if new["currency"] != approval_request.currency:
            reasons.append(
                f"The currency changes to {new['currency']}: the approval is for {approved}, and "
                "amounts in different currencies cannot be compared."
            )
        else:
            ceiling = approval_request.amount * (1 + percent / Decimal(100))
            if new["amount"] > ceiling:
                reasons.append(
                    f"The amount rises to {format_money(new['amount'], new['currency'])}, more than "
                    f"{percent.normalize():f}% above the approved {approved} (up to "
                    f"{format_money(ceiling.quantize(Decimal('0.01')), new['currency'])} keeps the approval)."
                )
    contract_changed = new["contract_type"] != current["contract_type"]
    if (
        policy.modify_contract_type_needs_approval and contract_changed
        and new["contract_type"] != approval_request.contract_type
    ):
        reasons.append(
            f"The contract type changes to {ContractType(new['contract_type']).label.lower()}: "
            "your company's policy needs a new approval for that."
        )
    elif (
        policy.modify_weekly_limit_needs_approval and not contract_changed
        and (new["weekly_hour_limit"] or None) != (current["weekly_hour_limit"] or None)
        and (new["weekly_hour_limit"] or None) != (approval_request.weekly_hour_limit or None)
    ):
        hours = new["weekly_hour_limit"]
        reasons.append(
            f"The weekly limit changes to {f'{hours} hours' if hours else 'no limit'}: your company's "
            "policy needs a new approval for that."
        )
    return reasons
