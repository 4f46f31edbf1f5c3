import datetime

from django import forms

from .models import Job
from .terms import (
    CURRENCY_CHOICES,
    MAX_AMOUNT,
    MAX_START_DAYS_AHEAD,
    MAX_WEEKLY_HOURS,
    ContractType,
    earliest_start_date,
)


class JobForm(forms.ModelForm):
    class Meta:
        model = Job
        fields = [
            "title", "description", "skills", "contract_type",
            "budget_amount", "budget_currency", "connects_price", "direct_invite_limit",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}

    def clean_title(self):
        title = self.cleaned_data["title"].strip()
        if not title:
            raise forms.ValidationError("Give the job a title.")
        return title


class DeclineForm(forms.Form):
    """Why the freelancer declines: a reason from the list, with details (required for Other)."""

    REASONS = [
        ("", "Choose a reason"),
        ("Too busy right now", "Too busy right now"),
        ("Not interested in this kind of work", "Not interested in this kind of work"),
        ("The budget is too low", "The budget is too low"),
        ("My skills do not match", "My skills do not match"),
        ("other", "Other (explain below)"),
    ]

    reason = forms.ChoiceField(choices=REASONS, label="Reason for declining")
    details = forms.CharField(
        required=False, max_length=1000, label="Details for the client",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("reason") == "other" and not cleaned.get("details", "").strip():
            self.add_error("details", "Tell the client why you are declining.")
        return cleaned

    @property
    def decline_reason(self) -> str:
        """The reason as stored on the invite: the choice, then the details."""
        reason = self.cleaned_data["reason"]
        details = self.cleaned_data.get("details", "").strip()
        if reason == "other":
            return details
        return f"{reason}. {details}" if details else reason


class InviteForm(forms.Form):
    """A hiring manager's invite: the picked freelancer and a message."""

    # Hidden and optional here: the view resolves the pick and says so when it is missing.
    freelancer = forms.IntegerField(widget=forms.HiddenInput, required=False)
    message = forms.CharField(
        max_length=2000, label="Message",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Tell the freelancer why you think they fit this job.",
        error_messages={"required": "Write a short message to the freelancer."},
    )


class FreelancerChoiceField(forms.ModelChoiceField):
    """A marketplace freelancer, listed as "Name — Title"."""

    def label_from_instance(self, obj):
        return f"{obj.full_name or obj.email} — {obj.freelancer_profile.title}"


class ContractTermsForm(forms.Form):
    """The contract terms an approval request and an offer both carry, with one set of bounds
    and messages, so whatever is approved can be offered on the same terms.

    The amount is more than zero and capped per contract type, whatever the currency (a rate
    up to 100,000 per hour, a fixed price up to 10,000,000); the weekly limit applies to
    hourly contracts only (1–80 hours, required for them, refused for a fixed price); the
    start date is today (UTC) or later, and within a year.
    """

    contract_type = forms.ChoiceField(choices=ContractType.choices, initial=ContractType.HOURLY)
    amount = forms.DecimalField(
        max_digits=12, decimal_places=2, help_text="Hourly rate or fixed price.",
        error_messages={
            "invalid": "Enter the amount as a number, like 85.00.",
            "max_digits": "That amount is far too large: check the number of digits.",
            "max_whole_digits": "That amount is far too large: check the number of digits.",
            "max_decimal_places": "Use at most two decimals (cents), like 85.50.",
        },
    )
    currency = forms.ChoiceField(
        choices=CURRENCY_CHOICES, initial="USD",
        error_messages={
            "invalid_choice": "Choose a currency from the list (%(value)s is not one we support).",
        },
    )
    weekly_hour_limit = forms.IntegerField(
        required=False, label="Weekly hour limit",
        help_text=f"Hourly contracts only: 1 to {MAX_WEEKLY_HOURS} hours.",
        error_messages={"invalid": "Enter a whole number of hours."},
    )
    start_date = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Enter the start date as YYYY-MM-DD."},
    )

    def clean_start_date(self):
        start_date = self.cleaned_data["start_date"]
        earliest = earliest_start_date()
        if start_date < earliest:
            raise forms.ValidationError("The start date cannot be in the past.")
        if start_date > earliest + datetime.timedelta(days=MAX_START_DAYS_AHEAD):
            raise forms.ValidationError("The start date must be within a year.")
        return start_date

    def clean(self):
        cleaned = super().clean()
        contract_type = cleaned.get("contract_type")
        amount = cleaned.get("amount")
        if amount is not None:
            if amount <= 0:
                self.add_error("amount", "The amount must be more than zero.")
            elif contract_type in MAX_AMOUNT and amount > MAX_AMOUNT[contract_type]:
                what = "an hourly rate" if contract_type == ContractType.HOURLY else "a fixed price"
                self.add_error(
                    "amount", f"That is too much for {what}: the maximum is {MAX_AMOUNT[contract_type]:,}."
                )
        if "weekly_hour_limit" not in self.errors:
            self._clean_weekly_hour_limit(contract_type, cleaned.get("weekly_hour_limit"))
        return cleaned

    def _clean_weekly_hour_limit(self, contract_type, limit):
        if contract_type == ContractType.HOURLY:
            if limit is None:
                self.add_error("weekly_hour_limit", "Set a weekly hour limit for an hourly contract.")
            elif not 1 <= limit <= MAX_WEEKLY_HOURS:
                self.add_error(
                    "weekly_hour_limit", f"The weekly limit must be between 1 and {MAX_WEEKLY_HOURS} hours."
                )
        elif contract_type == ContractType.FIXED and limit is not None:
            self.add_error(
                "weekly_hour_limit",
                "A weekly limit applies to hourly contracts only: leave it blank for a fixed price.",
            )
