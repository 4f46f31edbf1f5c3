from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models


class ReferralSettings(models.Model):
    """The referral beta's settings: one row (pk=1), edited by staff in the admin."""

    SINGLETON_PK = 1

    rollout_percentage = models.PositiveSmallIntegerField(
        default=0,
        validators=[MaxValueValidator(100)],
        help_text="Share of freelancers (0–100) in the referral beta, by a stable per-user bucket. "
        "Overrides below always win.",
    )
    daily_referral_cap = models.PositiveSmallIntegerField(
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(1000)],
        help_text="Referrals one freelancer may make in any 24 hours.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "referral beta settings"
        verbose_name_plural = "referral beta settings"
        constraints = [
            models.CheckConstraint(condition=models.Q(pk=1), name="referral_settings_singleton"),
            models.CheckConstraint(
                condition=models.Q(rollout_percentage__lte=100), name="referral_rollout_at_most_100"
            ),
        ]

    def __str__(self):
        return f"Referral beta: {self.rollout_percentage}% rollout, {self.daily_referral_cap} a day"

    def save(self, *args, **kwargs):
        self.pk = self.SINGLETON_PK
        super().save(*args, **kwargs)

    @classmethod
    def load(cls) -> "ReferralSettings":
        obj, _ = cls.objects.get_or_create(pk=cls.SINGLETON_PK)
        return obj


class BetaOverride(models.Model):
    """A per-user exception to the rollout: always in the referral beta, or never."""

    class Mode(models.TextChoices):
        ALWAYS = "always", "Always in the beta"
        NEVER = "never", "Never in the beta"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="referral_beta_override"
    )
    mode = models.CharField(max_length=10, choices=Mode.choices)
    note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["user__full_name"]
        verbose_name = "referral beta override"

    def __str__(self):
        return f"{self.user}: {self.get_mode_display()}"


class Referral(models.Model):
    """A freelancer declined an invite and referred another freelancer, who got a new invite.

    One declined invite gives at most one referral (unique original_invite), and a freelancer
    is referred to a job at most once (unique job + referred).
    """

    class Outcome(models.TextChoices):
        PENDING = "pending", "Pending"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        HIRED = "hired", "Hired"

    job = models.ForeignKey("jobs.Job", on_delete=models.CASCADE, related_name="referrals")
    referrer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="referrals_made"
    )
    referred = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="referrals_received"
    )
    # One-to-one: the database refuses a second referral from the same declined invite.
    original_invite = models.OneToOneField(
        "jobs.Invite", on_delete=models.CASCADE, related_name="referral_made"
    )
    new_invite = models.OneToOneField(
        "jobs.Invite", on_delete=models.CASCADE, related_name="referral"
    )
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        # The Referrals tab: a freelancer's referrals in the list's order (ties by id).
        indexes = [
            models.Index(fields=["referrer", "-created_at", "-id"], name="referral_referrer_newest_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["job", "referred"], name="referral_once_per_job_and_freelancer",
                violation_error_message="This freelancer was already referred to this job.",
            ),
            models.CheckConstraint(
                condition=~models.Q(referrer=models.F("referred")), name="referral_not_to_self"
            ),
        ]

    def __str__(self):
        return f"{self.referrer} referred {self.referred} to {self.job}"

    @property
    def outcome(self) -> str:
        """pending / accepted / declined from the new invite; hired once their offer for the
        job is accepted (the offers app records it on the invite)."""
        if self.new_invite.hired_at is not None:
            return self.Outcome.HIRED
        return self.new_invite.state

    @property
    def outcome_label(self) -> str:
        return self.Outcome(self.outcome).label


class ReferralTally(models.Model):
    """One freelancer's referral counts, as the Referrals page shows them: referrals made,
    different freelancers referred, and referrals whose freelancer was hired.

    Kept by PostgreSQL triggers (migration 0005) on referrals and on their new invites' hire,
    in the writing transaction: each statement adds what it changed (+1 referral, -1 hire), so
    two writers for one referrer queue on this row rather than overwrite each other's counts.
    ``referred`` counts the ReferredPair rows that go from none to some and back. No
    foreign-key constraint: derived rows, like DashboardCount's. On other databases the tables
    stay empty and the page counts the referrals instead.
    """

    referrer = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, db_constraint=False, primary_key=True,
        related_name="+",
    )
    referrals = models.IntegerField(default=0)
    referred = models.IntegerField(default=0)
    hired = models.IntegerField(default=0)

    def __str__(self):
        return f"{self.referrals} referrals by user {self.referrer_id}"


class ReferredPair(models.Model):
    """How many referrals one freelancer made of another (to different jobs): what makes
    ReferralTally.referred a count of people, not of referrals. Kept with it (migration 0005)."""

    referrer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False,
        related_name="+",
    )
    referred = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False,
        related_name="+",
    )
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["referrer", "referred"], name="referred_pair_once"),
        ]

    def __str__(self):
        return f"user {self.referrer_id} referred user {self.referred_id} {self.n} times"
