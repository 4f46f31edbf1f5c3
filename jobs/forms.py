import datetime
from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.urls import reverse, reverse_lazy
from django.utils.safestring import mark_safe

from accounts.search import clean_search
from accounts.selectors import marketplace_freelancers

from .models import Job
from .selectors import NAME_SEARCH_MIN_LENGTH, freelancers_already_on_job, freelancers_found
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


@dataclass(frozen=True)
class FreelancerTyped:
    """What a freelancer field posts: ``picked``, the id in the hidden input (filled by the search
    as you type, or by the server once it resolved the text); ``chosen``, a candidate picked
    from the list shown after an ambiguous name; ``text``, what was typed."""

    picked: str = ""
    chosen: str = ""
    text: str = ""


class FreelancerSearchWidget(forms.Widget):
    """A text input for a name or an email, a hidden input for the id, and, after a name that
    several freelancers share, radio buttons to choose one. app.js turns the text input into a
    combobox that searches ``search_url`` as you type and fills the hidden id."""

    template_name = "jobs/widgets/freelancer_search.html"

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.search_url = ""
        self.candidates = []  # set by the field when the text named several people

    def value_from_datadict(self, data, files, name):
        return FreelancerTyped(
            picked=data.get(name) or "",
            chosen=data.get(f"{name}_choice") or "",
            text=data.get(f"{name}_search") or "",
        )

    def value_omitted_from_data(self, data, files, name):
        return not any(key in data for key in (name, f"{name}_choice", f"{name}_search"))

    def format_value(self, value):
        return value or {"id": "", "text": ""}

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"].update(search_url=self.search_url, candidates=self.candidates)
        return context

    def _render(self, template_name, context, renderer=None):
        # The project's template engine (templates/), not the form renderer's own.
        return mark_safe(render_to_string(template_name, context))


class FreelancerChoiceField(forms.ModelChoiceField):
    """A marketplace freelancer, typed rather than listed: the one field every freelancer
    picker uses (request form, offer form, invite, decline and refer).

    Without JavaScript the person types a name or a whole email address (or pastes a profile
    link) and the server resolves it on submit (``jobs.selectors.freelancers_found`` over
    ``queryset``): exactly one match is chosen; none, or several, is a field error, the several
    listed (up to CANDIDATES_SHOWN, name and title) as choices, and the rest of the form kept.
    With JavaScript the search as you type fills the hidden id. A posted id is accepted alone
    (older links and forms post only ``freelancer=<id>``) or with the text it was picked by;
    when the text no longer names that person, the text wins (retyped without JavaScript).
    The id must be in ``queryset``: anyone else reads as "not an active freelancer", unnamed.
    Given a ``job``, candidates already on it are marked and cannot be chosen; the services
    still check every rule on submit.
    """

    widget = FreelancerSearchWidget
    CANDIDATES_SHOWN = 5
    default_error_messages = {
        "invalid_choice": (
            "The person you picked is not an active freelancer on Greenlight. Pick someone else."
        ),
    }

    def __init__(self, *, queryset, search_url: str = "", job=None, **kwargs):
        search_url = search_url or reverse_lazy("jobs:freelancer_search")
        kwargs.setdefault("empty_label", None)
        kwargs.setdefault("help_text", "Type their name, or their whole email address.")
        super().__init__(queryset=queryset, **kwargs)
        self.job = job
        self.search_url = search_url

    @property
    def search_url(self) -> str:
        return self.widget.search_url

    @search_url.setter
    def search_url(self, url: str):
        self.widget.search_url = url

    def label_from_instance(self, obj):
        return f"{obj.full_name or obj.email} — {obj.freelancer_profile.title}"

    def _by_id(self, value):
        try:
            return self.queryset.filter(pk=int(value)).first()
        except (TypeError, ValueError, OverflowError):
            return None

    def prepare_value(self, value):
        """What the widget shows: ``{"id", "text"}``."""
        if isinstance(value, FreelancerTyped):
            resolved = getattr(self, "_resolved", None)
            if resolved is not None and resolved[0] == value:
                person = resolved[1]
                if person is None:
                    return {"id": "", "text": value.text}
                return {"id": person.pk, "text": person.full_name}
            return {"id": value.picked, "text": value.text}
        if value in self.empty_values:
            return {"id": "", "text": ""}
        person = value if isinstance(value, self.queryset.model) else self._by_id(value)
        return {"id": person.pk, "text": person.full_name} if person else {"id": "", "text": ""}

    def has_changed(self, initial, data):
        initial_id = self.prepare_value(initial)["id"] if initial not in self.empty_values else ""
        return str(initial_id) != str(self.prepare_value(data)["id"])

    def to_python(self, value):
        if not isinstance(value, FreelancerTyped):
            return super().to_python(value)
        self._resolved = (value, None)
        person = self._resolve(value)
        self._resolved = (value, person)
        return person

    def _resolve(self, typed: FreelancerTyped):
        if typed.chosen:
            person = self._by_id(typed.chosen)
            if person is None:
                raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
            return person
        text = clean_search(typed.text)
        if typed.picked:
            person = self._by_id(typed.picked)
            if person is not None and (
                not text or text.casefold() in (person.full_name.casefold(), person.email.casefold())
            ):
                return person
            if not text:
                raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        if not text:
            return None
        found = freelancers_found(queryset=self.queryset, text=text, limit=self.CANDIDATES_SHOWN + 1)
        exact = [person for person in found if getattr(person, "exact", 0) == 0]
        if len(found) == 1 or len(exact) == 1:
            return exact[0] if exact else found[0]
        if not found:
            raise ValidationError(self._not_found_message(text), code="not_found")
        shown = found[: self.CANDIDATES_SHOWN]
        if self.job is not None:
            already = freelancers_already_on_job(job=self.job, user_ids=[person.pk for person in shown])
            for person in shown:
                person.already_on_job = already.get(person.pk, "")
        self.widget.candidates = shown
        if len(found) > self.CANDIDATES_SHOWN:
            message = (
                f"More than {self.CANDIDATES_SHOWN} freelancers have “{text}” in their name: "
                "choose one of the first below, or type more of the name."
            )
        else:
            message = f"{len(found)} freelancers have “{text}” in their name: choose one below."
        raise ValidationError(message, code="ambiguous")

    @staticmethod
    def _not_found_message(text: str) -> str:
        if "@" in text:
            return f"No active freelancer on Greenlight has the email address “{text}”."
        if "/freelancers/" in text:
            return f"No active freelancer on Greenlight has the profile link “{text}”."
        if len(text) < NAME_SEARCH_MIN_LENGTH:
            return (
                f"Type at least {NAME_SEARCH_MIN_LENGTH} letters of the name, "
                "or their whole email address."
            )
        return (
            f"No freelancer on Greenlight has “{text}” in their name. "
            "Check the spelling, or type their whole email address."
        )


class InviteForm(forms.Form):
    """A hiring manager's invite: the freelancer, typed or searched, and a message."""

    freelancer = FreelancerChoiceField(
        queryset=None, label="Freelancer",
        error_messages={"required": "Type the name or email of the freelancer you want to invite."},
    )
    message = forms.CharField(
        max_length=2000, label="Message",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Tell the freelancer why you think they fit this job.",
        error_messages={"required": "Write a short message to the freelancer."},
    )

    def __init__(self, *args, job, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["freelancer"]
        field.queryset = marketplace_freelancers()
        field.job = job
        field.search_url = freelancer_search_url(job=job)


def freelancer_search_url(*, job=None, invite=None) -> str:
    """The address a freelancer field searches as you type; the job or invite says whose rules
    decide who may search and which results are marked."""
    url = reverse("jobs:freelancer_search")
    if job is not None:
        return f"{url}?{urlencode({'job': job.pk})}"
    if invite is not None:
        return f"{url}?{urlencode({'invite': invite.pk})}"
    return url


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
