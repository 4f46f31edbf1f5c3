"""Writes on accounts: the Connects balance and its ledger, the inbox and email settings."""

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from .models import ConnectsLedgerEntry, FreelancerProfile, Notification, NotificationSetting


class ConnectsError(Exception):
    """A spend larger than the balance; ``balance`` is what the freelancer has."""

    def __init__(self, message: str, *, balance: int):
        super().__init__(message)
        self.balance = balance


def connects_change(
    *, user_id: int, change: int, reason: str, reference: str = "", description: str = "",
) -> FreelancerProfile:
    """Add (positive) or spend (negative) Connects, and write the ledger entry with it.

    The profile row is locked, so two changes at once are applied one after the other and the
    ledger always adds up to the balance; a spend larger than the balance is refused, and the
    database's check on the balance is the last guard. Inside the caller's transaction, it
    commits or rolls back with the caller's change.
    """
    with transaction.atomic():
        profile = FreelancerProfile.objects.select_for_update().get(user_id=user_id)
        if change == 0:
            return profile
        if profile.connects_balance + change < 0:
            raise ConnectsError(
                f"This needs {-change} Connects and the balance is {profile.connects_balance}.",
                balance=profile.connects_balance,
            )
        profile.connects_balance += change
        profile.save(update_fields=["connects_balance"])
        ConnectsLedgerEntry.objects.create(
            freelancer=profile, change=change, balance_after=profile.connects_balance, reason=reason,
            reference=reference, description=description,
        )
    return profile


def connects_set_balance(*, user_id: int, balance: int, actor) -> FreelancerProfile:
    """Staff set a balance: the difference is written to the ledger as an adjustment."""
    with transaction.atomic():
        current = FreelancerProfile.objects.select_for_update().get(user_id=user_id).connects_balance
        return connects_change(
            user_id=user_id, change=balance - current, reason=ConnectsLedgerEntry.Reason.ADJUSTMENT,
            reference=f"admin:{actor.pk}", description=f"Set by {actor} in the admin",
        )


def notification_mark_read(*, user, notification_id: int) -> bool:
    """Mark one of the user's own notifications read; the first reading time is kept.
    Returns whether it was unread."""
    return bool(
        Notification.objects.filter(pk=notification_id, recipient_id=user.pk, read_at__isnull=True)
        .update(read_at=timezone.now())
    )


def notifications_mark_all_read(*, user) -> int:
    """Mark every unread notification of the user read, in one statement; returns how many."""
    return Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def notification_settings_save(*, user, kinds: Iterable[str], email_enabled_kinds: Iterable[str]) -> None:
    """Record the user's email choice for each of ``kinds`` (the ones the page showed): on for
    those in ``email_enabled_kinds``, off for the rest. Kinds not shown keep their setting. One
    upsert, so two saves at once cannot trip over the one-row-per-kind constraint. In-app entries
    are not affected: notify() always writes the inbox entry and only skips the email.
    """
    valid = set(Notification.Kind.values)
    kinds = [kind for kind in dict.fromkeys(kinds) if kind in valid]
    enabled = set(email_enabled_kinds)
    NotificationSetting.objects.bulk_create(
        [NotificationSetting(user=user, kind=kind, email_enabled=kind in enabled) for kind in kinds],
        update_conflicts=True, unique_fields=["user", "kind"], update_fields=["email_enabled"],
    )
