from decimal import Decimal

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Upper
from django.utils import timezone

from .timezones import DEFAULT_TIME_ZONE, validate_time_zone

CURRENCY_CHOICES = [
    ("USD", "USD – US dollar"),
    ("EUR", "EUR – Euro"),
    ("GBP", "GBP – Pound sterling"),
    ("CAD", "CAD – Canadian dollar"),
    ("AUD", "AUD – Australian dollar"),
    ("INR", "INR – Indian rupee"),
]


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with their email address: client member, freelancer or staff."""

    email = models.EmailField("email address", unique=True)
    full_name = models.CharField(max_length=150)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField("staff status", default=False)
    date_joined = models.DateTimeField(default=timezone.now)
    # An IANA name. Guessed from the browser at sign-in until the person picks one in settings;
    # time_zone_chosen records that they did, so a later sign-in never overrides their choice.
    time_zone = models.CharField(max_length=64, default=DEFAULT_TIME_ZONE, validators=[validate_time_zone])
    time_zone_chosen = models.BooleanField(default=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name", "email"]
        indexes = [
            # The freelancer picker finds a name by any part of it (icontains, which is
            # UPPER(full_name) LIKE '%…%'): a trigram index serves that. PostgreSQL only: the
            # migration skips it elsewhere (SQLite, the embedded default, scans a small table).
            GinIndex(OpClass(Upper("full_name"), name="gin_trgm_ops"), name="user_full_name_trgm_idx"),
            # An exact email, whatever its case (iexact is UPPER(email) = UPPER(…)).
            models.Index(Upper("email"), name="user_email_upper_idx"),
        ]

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    @property
    def membership_or_none(self):
        try:
            return self.membership
        except Membership.DoesNotExist:
            return None

    @property
    def freelancer_profile_or_none(self):
        try:
            return self.freelancer_profile
        except FreelancerProfile.DoesNotExist:
            return None

    @property
    def is_client(self):
        return self.membership_or_none is not None

    @property
    def is_freelancer(self):
        return self.freelancer_profile_or_none is not None


class Company(models.Model):
    """A client company. Enterprise companies may require approval before offers are sent."""

    name = models.CharField(max_length=200, unique=True)
    is_enterprise = models.BooleanField("enterprise account", default=False)
    approvals_enabled = models.BooleanField(
        default=False,
        help_text="Hiring managers need an approved request before sending any offer.",
    )
    decision_window_days = models.PositiveSmallIntegerField(
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text="Days an approver has to decide a request before it expires.",
    )
    approval_validity_days = models.PositiveSmallIntegerField(
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text="Days an approval stays usable after it is granted.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "companies"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(approvals_enabled=False) | models.Q(is_enterprise=True),
                name="company_approvals_need_enterprise",
                violation_error_message="Only enterprise accounts can enable approvals.",
            ),
        ]

    def __str__(self):
        return self.name


class Membership(models.Model):
    """A user's place in one client company and the roles they hold there."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="membership")
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="memberships")
    is_hiring_manager = models.BooleanField("hiring manager", default=False)
    is_approver = models.BooleanField("approver", default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["company__name", "user__full_name"]

    def __str__(self):
        return f"{self.user} at {self.company}"

    @property
    def role_names(self):
        roles = []
        if self.is_hiring_manager:
            roles.append("Hiring manager")
        if self.is_approver:
            roles.append("Approver")
        return roles


class FreelancerProfile(models.Model):
    """A freelancer on the marketplace, with the Connects they spend to accept invites."""

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="freelancer_profile"
    )
    title = models.CharField(max_length=200)
    skills = models.CharField(max_length=500, blank=True, help_text="Comma-separated skills.")
    bio = models.TextField(blank=True)
    hourly_rate = models.DecimalField(
        max_digits=10, decimal_places=2, default=Decimal("0.00"),
        validators=[MinValueValidator(Decimal("0.00"))],
    )
    hourly_rate_currency = models.CharField(max_length=3, choices=CURRENCY_CHOICES, default="USD")
    connects_balance = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["user__full_name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(connects_balance__gte=0),
                name="freelancer_connects_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(hourly_rate__gte=0), name="freelancer_rate_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.title}"

    @property
    def skill_list(self):
        return [s.strip() for s in self.skills.split(",") if s.strip()]


class ConnectsLedgerEntry(models.Model):
    """One change to a freelancer's Connects balance, with the balance it left.

    Services write an entry in the same transaction as the balance change (with the profile
    row locked), so the ledger always adds up to the balance.
    """

    class Reason(models.TextChoices):
        INVITE_ACCEPTED = "invite_accepted", "Accepted an invite"
        PURCHASE = "purchase", "Purchase"
        REFUND = "refund", "Refund"
        ADJUSTMENT = "adjustment", "Adjustment by staff"

    freelancer = models.ForeignKey(
        FreelancerProfile, on_delete=models.CASCADE, related_name="connects_entries"
    )
    change = models.IntegerField(help_text="Connects added (positive) or spent (negative).")
    balance_after = models.PositiveIntegerField()
    reason = models.CharField(max_length=20, choices=Reason.choices)
    # What the change was for, e.g. "invite:42"; free text so the ledger does not depend on offers.
    reference = models.CharField(max_length=100, blank=True)
    description = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "Connects ledger entry"
        verbose_name_plural = "Connects ledger"
        indexes = [models.Index(fields=["freelancer", "-created_at"])]
        constraints = [
            models.CheckConstraint(condition=~models.Q(change=0), name="connects_entry_not_zero"),
            models.CheckConstraint(
                condition=models.Q(balance_after__gte=0), name="connects_entry_balance_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.change:+d} Connects for {self.freelancer.user} ({self.get_reason_display()})"


class Notification(models.Model):
    """One notification to one person about one event: their in-app inbox entry and the source
    of their email (the transactional outbox).

    It is written in the same transaction as the change that causes it, under a unique key
    (``approval-decision:42``), so the event and its notifications commit or roll back together
    and a second write of the same event is a no-op. The email is delivered after commit by the
    relay (accounts.delivery), never inside a transaction; ``email_state`` records how far it got.
    A BYO freelancer without an account is notified by email only (no recipient, no inbox).
    """

    class Kind(models.TextChoices):
        APPROVAL_NEW = "approval-new", "A request awaits your decision"
        APPROVAL_REMINDER = "approval-reminder", "Reminder: a request expires soon"
        APPROVAL_DECISION = "approval-decision", "Your request was approved or declined"
        APPROVAL_EXPIRED = "approval-expired", "Your request or approval expired"
        # In-app only: a step of the requester's chain was approved and the next one notified.
        APPROVAL_STEP_PASSED = "approval-step-passed", "A step of your request was approved"
        # In-app only: an approver's decisions went to their delegate, or came back.
        APPROVAL_DELEGATED = "approval-delegated", "Decisions delegated while someone is away"
        # In-app only: the requester cancelled a request the approver was asked to decide.
        APPROVAL_CANCELLED = "approval-cancelled", "A request you were asked to decide was cancelled"
        APPROVAL_ESCALATED = "approval-escalated", "A decision is overdue (you are an escalation contact)"
        # In-app only: the offer using an approval the approver gave was modified.
        APPROVAL_OFFER_MODIFIED = "approval-offer-modified", "An offer using your approval was changed"
        OFFER_SENT = "offer-sent", "You received an offer"
        OFFER_MODIFIED = "offer-modified", "An offer to you was changed"
        OFFER_WITHDRAWN = "offer-withdrawn", "An offer to you was withdrawn"
        OFFER_ACCEPTED = "offer-accepted", "Your offer was accepted"
        OFFER_DECLINED = "offer-declined", "Your offer was declined"
        INVITE_RECEIVED = "invite-received", "You were invited to a job"
        INVITE_ACCEPTED = "invite-accepted", "Your invite was accepted"
        INVITE_DECLINED = "invite-declined", "Your invite was declined"
        REFERRAL_INVITE = "referral-invite", "A freelancer referred you to a job"
        REFERRAL_OUTCOME = "referral-outcome", "Someone you referred answered"

    class EmailState(models.TextChoices):
        PENDING = "pending", "Pending"
        SENDING = "sending", "Sending"  # claimed by a worker; the provider call is in flight
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"  # rejected for good, or out of retries: see email_last_error
        SKIPPED = "skipped", "Not emailed"  # the recipient turned this kind of email off

    key = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=50, choices=Kind.choices)
    recipient = models.ForeignKey(
        User, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    email = models.EmailField(blank=True, help_text="Where the email goes (the address at the time).")
    title = models.CharField(max_length=300, help_text="The line shown in the inbox.")
    link = models.CharField(max_length=500, blank=True, help_text="The page the entry opens.")
    # The email: a template base (templates/<template>-{subject,body-text,body-html}.html) and the
    # plain values it reads. Empty template: in-app only.
    template = models.CharField(max_length=200, blank=True)
    context = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    email_state = models.CharField(
        max_length=10, choices=EmailState.choices, default=EmailState.PENDING
    )
    email_attempts = models.PositiveSmallIntegerField(default=0)
    email_next_attempt_at = models.DateTimeField(default=timezone.now)
    email_last_error = models.TextField(blank=True)
    email_sent_at = models.DateTimeField(null=True, blank=True)
    email_message_id = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "-created_at", "-id"], name="notification_inbox_idx"),
            models.Index(
                fields=["recipient"], name="notification_unread_idx", condition=models.Q(read_at__isnull=True)
            ),
            # The relay's claim: undelivered rows, the next due first.
            models.Index(
                fields=["email_next_attempt_at", "id"], name="notification_undelivered_idx",
                condition=models.Q(email_state__in=["pending", "sending"]),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(recipient__isnull=False) | ~models.Q(email=""),
                name="notification_has_someone",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} → {self.recipient or self.email}"

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class NotificationSetting(models.Model):
    """A person's choice to receive one kind of notification by email or not; without a row,
    they get it. In-app entries are always kept."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notification_settings")
    kind = models.CharField(max_length=50, choices=Notification.Kind.choices)
    email_enabled = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notification_setting_once_per_kind"),
        ]

    def __str__(self):
        return f"{self.user}: {self.get_kind_display()} by email {'on' if self.email_enabled else 'off'}"


class PageTouch(models.Model):
    """A committed write that changed what some pages show, recorded against the scope whose pages
    show it: one person (``u``, their user id), one client company (``c``, its id: every member's
    pages) or everyone (``g``: a name, a company's name, the referral beta's rollout).

    PostgreSQL triggers write these rows, once per statement and scope (accounts.migration_ops; each
    app's migration names its tables), so no write path (a service, the admin, the expiry sweep's
    SQL) can forget one. A reader's cached pages (accounts.pagecache) are keyed by the newest id and
    the number of rows of their scopes: any later commit changes one or the other, whatever order
    transactions commit in, and nothing is ever locked or updated in place. ``compact_page_touches``
    keeps one row per scope.
    """

    class Kind(models.TextChoices):
        EVERYONE = "g", "Everyone"
        COMPANY = "c", "Company"
        USER = "u", "User"

    kind = models.CharField(max_length=1, choices=Kind.choices)
    owner = models.BigIntegerField(default=0, help_text="The user's or company's id; 0 for everyone.")

    class Meta:
        indexes = [models.Index(fields=["kind", "owner", "id"], name="pagetouch_scope_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.owner} touched (#{self.pk})"
