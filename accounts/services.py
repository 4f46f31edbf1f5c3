"""Writes on accounts: the Connects balance and its ledger, the inbox, email settings, time zone."""

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from .models import ConnectsLedgerEntry, FreelancerProfile, Notification, NotificationSetting, User
from .timezones import time_zone_names


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


def user_time_zone_save(*, user, time_zone: str) -> None:
    """The zone the person chose in settings; from now on a sign-in never guesses over it."""
    if time_zone not in time_zone_names():
        raise ValueError(f"Unknown time zone {time_zone!r}")
    user.time_zone, user.time_zone_chosen = time_zone, True
    user.save(update_fields=["time_zone", "time_zone_chosen"])


def user_time_zone_guess(*, user, time_zone: str) -> bool:
    """The browser's zone, sent with the sign-in form: kept only while the person has never
    chosen one, and only if it is a real zone (anything else leaves them in UTC). True if kept."""
    if user.time_zone_chosen or time_zone not in time_zone_names() or time_zone == user.time_zone:
        return False
    # Conditional on the row too: a choice saved meanwhile in another tab wins.
    if not User.objects.filter(pk=user.pk, time_zone_chosen=False).update(time_zone=time_zone):
        return False
    user.time_zone = time_zone
    return True
