from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from accounts.models import Company

from .terms import CURRENCY_CHOICES, ContractType


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
        indexes = [models.Index(fields=["company", "-created_at"], name="job_company_newest_idx")]

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
    # Set when the invited freelancer's offer for this job is accepted (the offers app tells us).
    hired_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # My Proposals > Invitations: one state tab in the list's order, and the tab counts
            # read from the index alone.
            models.Index(
                fields=["freelancer", "state", "-created_at", "-id"], name="invite_freelancer_state_idx"
            ),
            # My Proposals > Referrals: the invites others referred to the freelancer. The source
            # is a column of the index, not its condition: a prepared statement's generic plan
            # (the source a parameter) can use it, where it could not use a partial index.
            models.Index(fields=["freelancer", "source", "-created_at", "-id"], name="invite_by_source_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["job", "freelancer"], name="invite_once_per_job"),
        ]

    def __str__(self):
        return f"{self.freelancer} invited to {self.job}"

    @property
    def state_for_freelancer(self):
        """The state as the invited freelancer reads it: their own answers in their own words."""
        return {
            Invite.State.PENDING: "Awaiting your answer",
            Invite.State.ACCEPTED: "You accepted",
            Invite.State.DECLINED: "You declined",
        }.get(self.state, self.get_state_display())


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
