"""The vocabulary of contract terms, shared by approval requests, offers and job posts.

Offer type, contract type, currency, the bounds every form applies to amounts, weekly hours
and start dates, and how money reads on every page and in every email.
"""

import datetime
from decimal import Decimal

from django.db import models
from django.utils import timezone

# Defined with the freelancer profile (whose hourly rate has a currency too); terms use it from here.
from accounts.models import CURRENCY_CHOICES

__all__ = [
    "CURRENCY_CHOICES", "ContractType", "OfferType", "FREELANCER_OFFER_TYPE_LABELS", "NamesFreelancer",
    "MAX_AMOUNT", "MAX_WEEKLY_HOURS", "MAX_START_DAYS_AHEAD", "format_money", "earliest_start_date",
]


class ContractType(models.TextChoices):
    HOURLY = "hourly", "Hourly"
    FIXED = "fixed", "Fixed price"


class OfferType(models.TextChoices):
    DIRECT = "direct", "Direct contract"
    BYO = "byo", "Bring your own freelancer"
    PAYROLL = "payroll", "Payroll"


# "Bring your own freelancer" is the client's word for it; the freelancer is the one brought.
FREELANCER_OFFER_TYPE_LABELS = {OfferType.BYO: "Brought by the client"}

# An amount is capped per contract type, whatever the currency.
MAX_AMOUNT = {
    ContractType.HOURLY: Decimal("100000"),
    ContractType.FIXED: Decimal("10000000"),
}
MAX_WEEKLY_HOURS = 80
# A contract starts today (UTC) or later, and within a year.
MAX_START_DAYS_AHEAD = 365


def earliest_start_date() -> datetime.date:
    # UTC's date, not the reader's: the request's zone is active in views and not in tasks, and
    # one rule must give one answer wherever it runs.
    return timezone.localdate(timezone=datetime.UTC)


class NamesFreelancer:
    """For rows that name a marketplace freelancer or, for a BYO offer, a name and an email."""

    @property
    def freelancer_display(self):
        if self.freelancer_id:
            return str(self.freelancer)
        return self.freelancer_name or self.freelancer_email


def format_money(amount, currency: str = "", contract_type: str = "") -> str:
    """``6,000.00 USD``, or ``90.00 USD/h`` for an hourly rate: how every amount reads."""
    if amount is None or amount == "":
        return ""
    text = f"{Decimal(amount):,.2f}"
    if currency:
        text = f"{text} {currency}"
    if contract_type == ContractType.HOURLY:
        text = f"{text}/h"
    return text
