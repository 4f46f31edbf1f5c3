from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models.functions import Upper
from django.utils import timezone
from django_fsm import FSMField, FSMModelMixin, transition

from accounts.models import Company
from jobs.models import Job
from jobs.terms import CURRENCY_CHOICES, ContractType, NamesFreelancer, OfferType


class State(models.TextChoices):
    PENDING = "pending", "Pending"
    APPROVED = "approved", "Approved"
    DECLINED = "declined", "Declined"
    EXPIRED = "expired", "Expired"
    CONSUMED = "consumed", "Used"
    CANCELLED = "cancelled", "Cancelled"


class ApprovalRequest(NamesFreelancer, FSMModelMixin, models.Model):
    """A hiring manager's request to send one contract offer, decided by an approver.

    Transitions change only the state and its timestamps; approvals.services does the
    locking, permission checks, logging and email. A transition is refused once
    ``expires_at`` has passed, even before the periodic sweep has marked it expired.
    """

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="approval_requests")
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="approval_requests_made"
    )
    # The approver the requester chose, when the company's policy has a step "chosen by the
    # requester" (the default policy is that one step). Who decides is recorded per step:
    # ``steps`` and their ``approvers`` (RequestStep, StepApprover).
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="approval_requests_chosen_for",
        help_text="The approver the requester chose for the step that lets them choose.",
    )

    # What is to be offered.
    job = models.ForeignKey(
        Job, on_delete=models.SET_NULL, null=True, blank=True, related_name="approval_requests"
    )
    title = models.CharField(max_length=200)
    freelancer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="approval_requests_about",
        help_text="A freelancer on the marketplace.",
    )
    freelancer_name = models.CharField(
        max_length=150, blank=True, help_text="For a BYO offer: the freelancer's name."
    )
    freelancer_email = models.EmailField(
        blank=True, help_text="For a BYO offer: the freelancer's email."
    )
    offer_type = models.CharField(max_length=10, choices=OfferType.choices, default=OfferType.DIRECT)
    contract_type = models.CharField(
        max_length=10, choices=ContractType.choices, default=ContractType.HOURLY
    )
    amount = models.DecimalField(
        max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    currency = models.CharField(max_length=3, choices=CURRENCY_CHOICES, default="USD")
    weekly_hour_limit = models.PositiveSmallIntegerField(null=True, blank=True)
    start_date = models.DateField()
    justification = models.TextField(blank=True)

    state = FSMField(default=State.PENDING, choices=State.choices, protected=True, db_index=True)
    expires_at = models.DateTimeField(db_index=True)
    decision_comment = models.TextField(blank=True)
    # Who approved (every approver whose approval counted, in chain order) or who declined,
    # written when the request is decided, so lists name them without reading the chain.
    decided_by_names = models.CharField(max_length=500, blank=True, db_default="")
    decided_at = models.DateTimeField(null=True, blank=True)
    consumed_at = models.DateTimeField(null=True, blank=True)
    expired_at = models.DateTimeField(null=True, blank=True)
    # Set when the approver was reminded that a pending request is about to expire (once per request).
    reminded_at = models.DateTimeField(null=True, blank=True)
    # The requester withdrew the request while it was pending (their reason, optional).
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.TextField(blank=True, db_default="")
    resubmission_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="resubmissions"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["requester", "state", "-created_at"]),
            models.Index(fields=["approver", "state", "-created_at"]),
            # The expiry sweep and the reminder scan: live requests by expiry.
            models.Index(
                fields=["expires_at"], name="approval_live_by_expiry",
                condition=models.Q(state__in=["pending", "approved"]),
            ),
            # The dashboard's search (icontains is UPPER(col) LIKE '%…%'): trigram indexes.
            # PostgreSQL only: migration 0007 skips them elsewhere.
            GinIndex(OpClass(Upper("title"), name="gin_trgm_ops"), name="approval_title_trgm_idx"),
            GinIndex(
                OpClass(Upper("freelancer_name"), name="gin_trgm_ops"), name="approval_byo_name_trgm_idx"
            ),
            GinIndex(
                OpClass(Upper("freelancer_email"), name="gin_trgm_ops"), name="approval_byo_email_trgm_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="approval_amount_positive"
            ),
            models.CheckConstraint(
                condition=~models.Q(requester=models.F("approver")),
                name="approval_requester_is_not_approver",
            ),
            models.CheckConstraint(
                condition=models.Q(freelancer__isnull=False) | ~models.Q(freelancer_email=""),
                name="approval_names_a_freelancer",
            ),
        ]

    def __str__(self):
        return f"{self.title} for {self.freelancer_display} ({self.get_state_display()})"

    @property
    def is_past_expiry(self):
        return timezone.now() >= self.expires_at

    def not_past_expiry(self):
        return not self.is_past_expiry

    # Transitions: state and timestamps only.

    @transition(field=state, source=State.PENDING, target=State.APPROVED, conditions=[not_past_expiry])
    def approve(self, *, valid_until):
        self.decided_at = timezone.now()
        self.expires_at = valid_until

    @transition(field=state, source=State.PENDING, target=State.DECLINED, conditions=[not_past_expiry])
    def decline(self):
        self.decided_at = timezone.now()

    @transition(field=state, source=State.APPROVED, target=State.CONSUMED, conditions=[not_past_expiry])
    def consume(self):
        self.consumed_at = timezone.now()

    @transition(field=state, source=State.CONSUMED, target=State.APPROVED, conditions=[not_past_expiry])
    def release(self):
        self.consumed_at = None

    @transition(field=state, source=State.PENDING, target=State.CANCELLED, conditions=[not_past_expiry])
    def cancel(self, *, reason: str = ""):
        self.cancelled_at = timezone.now()
        self.cancel_reason = reason

    @transition(
        field=state,
        source=[State.PENDING, State.APPROVED, State.CONSUMED],
        target=State.EXPIRED,
        conditions=[lambda self: self.is_past_expiry],
    )
    def expire(self):
        # From consumed only when the offer is released after the validity has run out.
        self.expired_at = timezone.now()


class ApprovalTransition(models.Model):
    """The audit trail: one row per state change of a request."""

    request = models.ForeignKey(
        ApprovalRequest, on_delete=models.CASCADE, related_name="transitions"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        help_text="Empty when the system made the change (expiry sweep).",
    )
    name = models.CharField(max_length=30)
    # The step a decision was made in ("Team lead"); empty for changes of the whole request.
    step_name = models.CharField(max_length=100, blank=True, db_default="")
    # The approver a delegate decided for, while that approver was out of office.
    on_behalf_of = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
    )
    source_state = models.CharField(max_length=20, blank=True)
    target_state = models.CharField(max_length=20)
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.source_state or 'new'} → {self.target_state}"

    @property
    def source_label(self):
        return _state_label(self.source_state)

    @property
    def target_label(self):
        return _state_label(self.target_state)


def _state_label(state: str) -> str:
    try:
        return State(state).label
    except ValueError:
        return state


# Approval policies: which offers need approval at a company, and the chain of steps that
# decides them. Staff edit them in the admin; a request copies the chain when it is created
# (RequestStep, StepApprover), so editing a policy never changes a request in flight.

MAX_POLICY_STEPS = 5
MAX_STEP_APPROVERS = 10


class Coverage(models.TextChoices):
    ALL = "all", "Direct, BYO and payroll offers"
    DIRECT = "direct", "Direct offers"
    BYO_PAYROLL = "byo_payroll", "BYO and payroll offers"


class StepRule(models.TextChoices):
    ALL = "all", "All of them"
    ANY = "any", "Any one of them"
    AT_LEAST = "at_least", "At least N of them"


def required_approvals(rule: str, required_count: int | None, approvers: int) -> int:
    """How many approvals a step with ``approvers`` approvers needs under its rule."""
    if rule == StepRule.ALL:
        return approvers
    if rule == StepRule.ANY:
        return 1
    return required_count or 1


def rule_label(rule: str, required_count: int | None) -> str:
    """The rule as a person reads it: "all must approve", "any one", "at least 2"."""
    if rule == StepRule.ALL:
        return "All must approve"
    if rule == StepRule.ANY:
        return "Any one approves"
    return f"At least {required_count or 1} approve"


class ApprovalPolicy(models.Model):
    """A company's approval policy: which offers need approval and the ordered steps that
    decide them (at most five). A company without one uses the default: one step whose
    approver the requester chooses, for every offer type (``approvals.policies``)."""

    company = models.OneToOneField(Company, on_delete=models.CASCADE, related_name="approval_policy")
    applies_to = models.CharField(
        "offers that need approval", max_length=20, choices=Coverage.choices, default=Coverage.ALL
    )
    # Escalation: a decision pending longer than this many days (from its step's activation)
    # is escalated once to the contacts. Empty: never.
    escalation_days = models.PositiveSmallIntegerField(
        "escalate after (days)", null=True, blank=True,
        validators=[MinValueValidator(1)],
        help_text="Tell the escalation contacts when a decision has waited this many days. "
        "Empty: no escalation.",
    )
    escalation_contacts = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="approval_escalations",
        help_text="Members of the company told (in-app and by email) about overdue decisions.",
    )
    # What a modification of a sent offer may change and keep its approval (see
    # ``modification_refusals``). Empty percentage: any increase carries over.
    modify_max_increase_percent = models.DecimalField(
        "amount increase allowed without a new approval (%)", max_digits=6, decimal_places=2,
        null=True, blank=True, validators=[MinValueValidator(Decimal("0"))],
        help_text="An offer may be modified up to this much above its approved amount. "
        "Empty: any increase keeps the approval.",
    )
    modify_contract_type_needs_approval = models.BooleanField(
        "changing the contract type needs a new approval", default=False,
    )
    modify_weekly_limit_needs_approval = models.BooleanField(
        "changing the weekly limit needs a new approval", default=False,
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "approval policies"

    def __str__(self):
        return f"Approval policy of {self.company}"

    def covers(self, offer_type: str) -> bool:
        return covers(self.applies_to, offer_type)


def covers(applies_to: str, offer_type: str) -> bool:
    """Whether a policy covering ``applies_to`` requires approval for ``offer_type``."""
    if applies_to == Coverage.ALL:
        return True
    if applies_to == Coverage.DIRECT:
        return offer_type == OfferType.DIRECT
    return offer_type in (OfferType.BYO, OfferType.PAYROLL)


class PolicyStep(models.Model):
    """One step of a policy: its approvers (or the one the requester chooses), its rule, and
    an optional condition on the offer's amount.

    The condition: the step applies when the amount is at or above the threshold for the
    contract type (a fixed price, or an hourly rate) in ``condition_currency``. A threshold left
    empty puts no condition on that contract type; a request in another currency gets the step
    (its page says why), since amounts in different currencies cannot be compared.
    """

    policy = models.ForeignKey(ApprovalPolicy, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(default=1)
    name = models.CharField(max_length=100)
    chosen_by_requester = models.BooleanField(
        "approver chosen by the requester", default=False,
        help_text="The requester picks one approver of the company on the request form; "
        "the approvers and the rule below are then not used.",
    )
    approvers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+",
        help_text=f"Members with the approver role, at most {MAX_STEP_APPROVERS}.",
    )
    rule = models.CharField(max_length=10, choices=StepRule.choices, default=StepRule.ALL)
    required_count = models.PositiveSmallIntegerField(
        "N", null=True, blank=True, help_text="For “at least N”: how many must approve."
    )
    condition_currency = models.CharField(
        max_length=3, choices=CURRENCY_CHOICES, blank=True,
        help_text="The currency of the thresholds. Empty: the step always applies.",
    )
    min_fixed_price = models.DecimalField(
        "from a fixed price of", max_digits=12, decimal_places=2, null=True, blank=True,
    )
    min_hourly_rate = models.DecimalField(
        "from an hourly rate of", max_digits=12, decimal_places=2, null=True, blank=True,
    )

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return self.name

    @property
    def has_condition(self) -> bool:
        return bool(self.condition_currency) and (
            self.min_fixed_price is not None or self.min_hourly_rate is not None
        )


class StepState(models.TextChoices):
    WAITING = "waiting", "Waiting for an earlier step"
    ACTIVE = "active", "Deciding now"
    PASSED = "passed", "Approved"
    DECLINED = "declined", "Declined"
    SKIPPED = "skipped", "Skipped"


class RequestStep(models.Model):
    """One step of a request's chain, copied from the policy when the request was created:
    its name, rule and approvers as they were then, and whether its condition applied."""

    request = models.ForeignKey(ApprovalRequest, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=100)
    rule = models.CharField(max_length=10, choices=StepRule.choices)
    required_count = models.PositiveSmallIntegerField(
        help_text="Approvals needed to pass the step (after leaving out the requester)."
    )
    chosen_by_requester = models.BooleanField(default=False)
    # The condition as it read when the request was created, and what it made of this request.
    condition = models.CharField(max_length=300, blank=True)
    condition_outcome = models.CharField(max_length=300, blank=True)
    state = models.CharField(max_length=10, choices=StepState.choices)
    activated_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    # When the escalation contacts were told this step's decision is overdue (once per step).
    escalated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["request", "position"], name="request_step_position_unique"),
        ]

    def __str__(self):
        return f"{self.position}. {self.name}"

    @property
    def rule_display(self) -> str:
        if self.chosen_by_requester:
            return "Chosen by the requester"
        return rule_label(self.rule, self.required_count)


class Decision(models.TextChoices):
    PENDING = "pending", "Waiting"
    APPROVED = "approved", "Approved"
    DECLINED = "declined", "Declined"
    NOT_NEEDED = "not_needed", "Not needed"


class StepApprover(models.Model):
    """One approver of one step of a request, and their decision."""

    step = models.ForeignKey(RequestStep, on_delete=models.CASCADE, related_name="approvers")
    # The step's request, repeated so "awaiting my decision" is one indexed lookup.
    request = models.ForeignKey(ApprovalRequest, on_delete=models.CASCADE, related_name="step_approvers")
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="approval_decisions"
    )
    decision = models.CharField(max_length=10, choices=Decision.choices, default=Decision.PENDING)
    decided_at = models.DateTimeField(null=True, blank=True)
    comment = models.TextField(blank=True)
    # Who decided, when it was not the approver: their delegate while they were away.
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
    )

    class Meta:
        ordering = ["step__position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["step", "approver"], name="step_approver_unique"),
        ]
        indexes = [
            models.Index(fields=["approver", "decision"], name="step_approver_by_person"),
        ]

    def __str__(self):
        return f"{self.approver} ({self.get_decision_display()})"


class OutOfOffice(models.Model):
    """An approver away for a period, and the delegate who decides for them meanwhile.

    While a period is on (``starts_at`` ≤ now < ``ends_at``, unless ended early at
    ``ended_at``), the approver's undecided decisions, and new ones, go to the delegate
    (approvals.delegation resolves who decides, following at most three hops). The approver
    keeps seeing the requests and may still decide them.
    """

    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="out_of_office_periods"
    )
    delegate = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="delegations_received"
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True, help_text="Set when it was ended early.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = "out-of-office period"
        indexes = [models.Index(fields=["approver", "ends_at"], name="out_of_office_by_approver")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(approver=models.F("delegate")), name="out_of_office_not_self"
            ),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="out_of_office_ends_after_start"
            ),
        ]

    def __str__(self):
        return f"{self.approver} away, {self.delegate} decides"

    @property
    def until(self):
        return min(self.ended_at, self.ends_at) if self.ended_at else self.ends_at

    def is_on(self, now=None) -> bool:
        now = now or timezone.now()
        return self.starts_at <= now < self.until


class DashboardEntry(models.Model):
    """One request on one person's approvals dashboard: as its requester or as an approver of
    any of its steps, with what the dashboard filters and sorts by copied from the request.

    Kept by PostgreSQL triggers (migration 0007), not by the services: every write of a
    request, a step or an approver (services, the sweep's single statement, the admin, data
    loaded in SQL) refreshes the entries of the requests it touched in the same statement, so
    the table is never stale and no write path can forget it. Delegation (resolved when read,
    approvals.delegation) and escalation contacts are not copied here: their dashboards read
    the chain (approvals.selectors). On other databases the table stays empty and unread.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    request = models.ForeignKey(
        ApprovalRequest, on_delete=models.CASCADE, related_name="dashboard_entries"
    )
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+", db_index=False)
    state = models.CharField(max_length=20)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    # The user has an undecided seat on the active step of a pending request.
    awaiting = models.BooleanField(default=False)
    is_requester = models.BooleanField(default=False)
    # What the dashboard's search matches, copied so a search reads the index alone: the title,
    # the marketplace freelancer's name, the BYO freelancer's name and email (separated by \x1f);
    # and the marketplace freelancer's email, upper-cased, which matches only whole (it is private).
    search_text = models.TextField(blank=True, default="")
    freelancer_account_email = models.CharField(max_length=254, blank=True, default="")

    class Meta:
        verbose_name_plural = "dashboard entries"
        constraints = [
            models.UniqueConstraint(fields=["user", "request"], name="dashboard_entry_unique"),
        ]
        indexes = [
            # A tab, newest first (the Pending tab: awaiting the user, then the rest), and
            # capped counts that read the index only.
            # A search walks the same index, matching the included words without reading rows.
            models.Index(
                fields=["user", "company", "state", "awaiting", "-created_at", "-request"],
                include=["expires_at", "search_text", "freelancer_account_email"], name="dashboard_entry_tab",
            ),
            # Open seats past their decision window that the sweep has not expired yet: listed
            # last in the Pending tab, and taken off the kept awaiting count (DashboardCount).
            # Its condition is the flag alone (only a pending request's entry awaits anyone), and
            # the state a column: a prepared statement's generic plan, the state a parameter,
            # can use it, where it could not use an index on state = 'pending'.
            models.Index(
                fields=["user", "company", "state", "expires_at"], name="dashboard_entry_open_seats",
                condition=models.Q(awaiting=True),
            ),
        ]

    def __str__(self):
        return f"{self.user_id} sees request {self.request_id} ({self.state})"


class DashboardCount(models.Model):
    """How many of one person's dashboard entries are in one state (and awaiting them or not),
    as rows of changes that add up: the tab counts read a few of these rows instead of counting
    thousands of entries.

    Kept by PostgreSQL triggers on DashboardEntry (migration 0011): every statement that inserts,
    updates or deletes entries appends one row per (user, company, state, awaiting) it changed,
    with the difference (+3, -1). Appending, never updating, keeps writers from queueing on a
    busy approver's counter: the sweep's long batches and their decisions never wait for each
    other. ``compact_dashboard_counts`` (beat, every minute) folds each key's rows into one.
    No foreign-key constraint: the rows are derived, like the entries' own triggers' output, and
    a deleted person's rows add up to zero and are compacted away. On other databases the table
    stays empty and unread.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False,
        related_name="+",
    )
    company = models.ForeignKey(
        Company, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    state = models.CharField(max_length=20)
    awaiting = models.BooleanField(default=False)
    n = models.IntegerField(help_text="Entries added (or, negative, removed) by one statement.")

    class Meta:
        indexes = [
            models.Index(fields=["user", "company", "state", "awaiting"], include=["n"],
                         name="dashboard_count_key"),
        ]

    def __str__(self):
        return f"{self.user_id} {self.state}{' awaiting' if self.awaiting else ''}: {self.n:+d}"
