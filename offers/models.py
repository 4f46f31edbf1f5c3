from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from accounts.models import CURRENCY_CHOICES, Company


class ContractType(models.TextChoices):
    HOURLY = "hourly", "Hourly"
    FIXED = "fixed", "Fixed price"


class Job(models.Model):
    """A company's job post. Posting a job never needs approval."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="jobs")
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="jobs_posted"
    )
    title = models.CharField(max_length=200)
    description = models.TextField()
    skills = models.CharField(max_length=500, blank=True, help_text="Comma-separated skills.")
    contract_type = models.CharField(
        max_length=10, choices=ContractType.choices, default=ContractType.HOURLY
    )
    budget_amount = models.DecimalField(
        max_digits=12, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text="Hourly rate or fixed budget.",
    )
    budget_currency = models.CharField(max_length=3, choices=CURRENCY_CHOICES, default="USD")
    connects_price = models.PositiveSmallIntegerField(
        default=6,
        validators=[MaxValueValidator(50)],
        help_text="Connects a freelancer spends to accept a direct invite to this job.",
    )
    direct_invite_limit = models.PositiveSmallIntegerField(
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(500)],
        help_text="Direct invites allowed for this job; referred invites do not count.",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["company", "-created_at"])]

    def __str__(self):
        return self.title

    @property
    def skill_list(self):
        return [s.strip() for s in self.skills.split(",") if s.strip()]


class Invite(models.Model):
    """An invitation for a freelancer to apply to a job, sent directly or through a referral."""

    class Source(models.TextChoices):
        DIRECT = "direct", "Direct"
        REFERRAL = "referral", "Referral"

    class State(models.TextChoices):
        PENDING = "pending", "Pending"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="invites")
    freelancer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invites_received"
    )
    # The hiring manager for a direct invite; for a referral, the manager of the original invite.
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="invites_sent"
    )
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.DIRECT)
    message = models.TextField(blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    decline_reason = models.TextField(blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["job", "freelancer"], name="invite_once_per_job"),
        ]

    def __str__(self):
        return f"{self.freelancer} invited to {self.job}"


class Proposal(models.Model):
    """A freelancer's proposal for a job; accepting an invite creates one."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="proposals")
    freelancer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="proposals"
    )
    invite = models.OneToOneField(
        Invite, on_delete=models.SET_NULL, null=True, blank=True, related_name="proposal"
    )
    cover_letter = models.TextField(blank=True)
    connects_spent = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["job", "freelancer"], name="proposal_once_per_job"),
        ]

    def __str__(self):
        return f"{self.freelancer} for {self.job}"


class OfferType(models.TextChoices):
    DIRECT = "direct", "Direct contract"
    BYO = "byo", "Bring your own freelancer"
    PAYROLL = "payroll", "Payroll"


# "Bring your own freelancer" is the client's word for it; the freelancer is the one brought.
FREELANCER_OFFER_TYPE_LABELS = {OfferType.BYO: "Brought by the client"}


class NamesFreelancer:
    """For rows that name a marketplace freelancer or, for a BYO offer, a name and an email."""

    @property
    def freelancer_display(self):
        if self.freelancer_id:
            return str(self.freelancer)
        return self.freelancer_name or self.freelancer_email


class OfferTerms(models.Model):
    """The terms of an offer; shared by the offer (latest terms) and each revision."""

    title = models.CharField(max_length=200)
    contract_type = models.CharField(
        max_length=10, choices=ContractType.choices, default=ContractType.HOURLY
    )
    amount = models.DecimalField(
        max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    currency = models.CharField(max_length=3, choices=CURRENCY_CHOICES, default="USD")
    weekly_hour_limit = models.PositiveSmallIntegerField(null=True, blank=True)
    start_date = models.DateField()
    message = models.TextField(blank=True)

    class Meta:
        abstract = True


class Offer(NamesFreelancer, OfferTerms):
    """A contract offer from a hiring manager to a freelancer.

    When the company has approvals enabled, the offer uses one approved request; a partial
    unique constraint makes sure a request backs at most one live (sent or accepted) offer.
    """

    class State(models.TextChoices):
        SENT = "sent", "Sent"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn"

    LIVE_STATES = (State.SENT, State.ACCEPTED)

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="offers")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="offers_sent"
    )
    offer_type = models.CharField(max_length=10, choices=OfferType.choices, default=OfferType.DIRECT)
    job = models.ForeignKey(
        Job, on_delete=models.SET_NULL, null=True, blank=True, related_name="offers"
    )
    freelancer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="offers_received",
    )
    # A BYO freelancer not yet on the marketplace is invited by name and email.
    freelancer_name = models.CharField(max_length=150, blank=True)
    freelancer_email = models.EmailField(blank=True)
    approval_request = models.ForeignKey(
        "approvals.ApprovalRequest", on_delete=models.PROTECT, null=True, blank=True,
        related_name="offers",
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.SENT, db_index=True)
    revision = models.PositiveSmallIntegerField(default=1)
    decline_reason = models.TextField(blank=True)
    sent_at = models.DateTimeField(auto_now_add=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-sent_at", "-id"]
        indexes = [
            models.Index(fields=["company", "-sent_at"]),
            models.Index(fields=["freelancer", "-sent_at"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["approval_request"],
                condition=models.Q(state__in=["sent", "accepted"]),
                name="offer_one_live_offer_per_approval",
                violation_error_message="This approval is already used by another offer.",
            ),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="offer_amount_positive"),
            models.CheckConstraint(
                condition=models.Q(freelancer__isnull=False) | ~models.Q(freelancer_email=""),
                name="offer_names_a_freelancer",
            ),
        ]

    def __str__(self):
        return f"{self.title} for {self.freelancer_display}"

    @property
    def offer_type_for_freelancer(self):
        """The offer type as the freelancer reads it: a BYO offer is one the client brought them to."""
        return FREELANCER_OFFER_TYPE_LABELS.get(self.offer_type, self.get_offer_type_display())


class OfferRevision(OfferTerms):
    """The terms as they stood at each revision: 1 is the offer as first sent."""

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveSmallIntegerField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["offer", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["offer", "number"], name="offer_revision_number_unique"),
        ]

    def __str__(self):
        return f"{self.offer} – revision {self.number}"
