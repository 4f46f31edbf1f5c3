from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
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
    # The one approver who decides this request.
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="approval_requests_to_decide"
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
    decided_at = models.DateTimeField(null=True, blank=True)
    consumed_at = models.DateTimeField(null=True, blank=True)
    expired_at = models.DateTimeField(null=True, blank=True)
    # Set when the approver was reminded that a pending request is about to expire (once per request).
    reminded_at = models.DateTimeField(null=True, blank=True)
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
