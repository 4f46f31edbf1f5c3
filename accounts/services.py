"""Writes on accounts: the Connects balance and its ledger."""

from django.db import transaction

from .models import ConnectsLedgerEntry, FreelancerProfile


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
