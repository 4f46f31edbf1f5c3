from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models.functions import Upper

from accounts.models import Company
from jobs.models import Job
from jobs.terms import (
    CURRENCY_CHOICES,
    FREELANCER_OFFER_TYPE_LABELS,
    ContractType,
    NamesFreelancer,
    OfferType,
)


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
            # The offer list: one state tab of a company in the list's order, and the tab counts
            # read from the index alone.
            models.Index(fields=["company", "state", "-sent_at", "-id"], name="offer_company_state_idx"),
            # The freelancer's offers: one state tab in the list's order, and that tab's count
            # from the index's entries for the state, not from every offer of theirs.
            models.Index(
                fields=["freelancer", "state", "-sent_at", "-id"], name="offer_freelancer_state_idx"
            ),
            # A freelancer's BYO offers sent to their email before they had an account (iexact).
            models.Index(
                Upper("freelancer_email"), condition=models.Q(freelancer__isnull=True),
                name="offer_byo_email_upper_idx",
            ),
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

    @property
    def state_for_freelancer(self):
        """The state as the freelancer reads it: their own answers in their own words."""
        return {
            Offer.State.SENT: "Awaiting your answer",
            Offer.State.ACCEPTED: "You accepted",
            Offer.State.DECLINED: "You declined",
            Offer.State.WITHDRAWN: "Withdrawn by the client",
        }.get(self.state, self.get_state_display())


class OfferRevision(OfferTerms):
    """The terms as they stood at each revision: 1 is the offer as first sent."""

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveSmallIntegerField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    # The approval that backed these terms: a modification beyond the policy's tolerance moves
    # the offer to a new approval, and the earlier one stays here with the earlier terms.
    approval_request = models.ForeignKey(
        "approvals.ApprovalRequest", on_delete=models.PROTECT, null=True, blank=True,
        related_name="offer_revisions",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["offer", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["offer", "number"], name="offer_revision_number_unique"),
        ]

    def __str__(self):
        return f"{self.offer} – revision {self.number}"
