import datetime

from django import forms

from accounts.selectors import marketplace_freelancers
from accounts.urls_safety import safe_next_path
from jobs.forms import ContractTermsForm, FreelancerChoiceField
from jobs.selectors import job_choices_for_company
from jobs.terms import OfferType, earliest_start_date

from . import policies, selectors, services

# GET parameters that may prefill the form (the offers page links here with them).
PREFILL_FIELDS = (
    "title", "job", "freelancer", "freelancer_name", "freelancer_email", "offer_type",
    "contract_type", "amount", "currency", "weekly_hour_limit", "start_date", "justification",
    "approver",
)


class ApprovalRequestForm(ContractTermsForm):
    """What the hiring manager asks to offer. Validates input only; the service creates.

    The contract terms have the bounds of every offer (ContractTermsForm).
    A marketplace freelancer is required for direct and payroll offers; a BYO offer names
    the freelancer by name and email instead. Job posts are the company's own only, and the
    approver is one of the company's approvers other than the requester (preselected when
    there is only one).
    """

    title = forms.CharField(
        max_length=200, required=False,
        help_text="What the freelancer will do. Leave empty to use the job post's title.",
    )
    job = forms.ModelChoiceField(
        queryset=None, required=False, empty_label="— No job post —", label="Job post"
    )
    offer_type = forms.ChoiceField(choices=OfferType.choices, initial=OfferType.DIRECT)
    freelancer = FreelancerChoiceField(
        queryset=None, required=False,
        help_text="Direct and payroll offers: type their name, or their whole email address.",
    )
    freelancer_name = forms.CharField(
        max_length=150, required=False, label="Freelancer's name (BYO)",
    )
    freelancer_email = forms.EmailField(required=False, label="Freelancer's email (BYO)")
    justification = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), required=False,
        help_text="Why this hire, at these terms. The approver reads this.",
    )
    approver = forms.ModelChoiceField(queryset=None, empty_label="— Choose an approver —")
    next = forms.CharField(required=False, strip=False, widget=forms.HiddenInput)

    field_order = [
        "title", "job", "offer_type", "freelancer", "freelancer_name", "freelancer_email",
        "contract_type", "amount", "currency", "weekly_hour_limit", "start_date", "justification",
        "approver", "next",
    ]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["job"].queryset = job_choices_for_company(user=user)
        self.fields["freelancer"].queryset = marketplace_freelancers()
        membership = user.membership_or_none
        # The chain this request will go through (shown on the form); the approver field is
        # there only when a step lets the requester choose, required unless that step is
        # conditional (the service then asks for it when the condition applies).
        self.policy = policies.policy_for(membership.company_id) if membership else policies.default_policy()
        chosen = [step for step in self.policy.steps if step.chosen_by_requester]
        if not chosen:
            del self.fields["approver"]
            return
        self.fields["approver"].required = not chosen[0].has_condition
        if len(self.policy.steps) > 1:
            self.fields["approver"].label = f"Approver for “{chosen[0].name}”"
        approvers = selectors.company_approvers(user=user)
        self.fields["approver"].queryset = approvers
        if not self.is_bound and "approver" not in self.initial:
            only = list(approvers[:2])
            if len(only) == 1:
                self.initial["approver"] = only[0].pk

    @classmethod
    def initial_from_query(cls, query) -> dict:
        """Prefill from GET parameters named like the fields (invalid values are ignored
        by the widgets, and checked again on submit)."""
        initial = {name: query.get(name) for name in PREFILL_FIELDS if query.get(name)}
        if next_url := safe_next_path(query.get("next")):
            initial["next"] = next_url
        return initial

    @classmethod
    def initial_from_request(cls, approval_request) -> dict:
        """A resubmission copies the request's terms (start date moved up if past), its
        justification and its approver."""
        return {
            **selectors.approval_request_terms(approval_request),
            "start_date": max(approval_request.start_date, earliest_start_date()).isoformat(),
            "justification": approval_request.justification,
            "approver": approval_request.approver_id,
        }

    def clean_next(self):
        return safe_next_path(self.cleaned_data["next"])

    def clean_title(self):
        return self.cleaned_data["title"].strip()

    def clean(self):
        data = super().clean()
        if not data.get("title") and data.get("job") is None and "title" not in self.errors:
            self.add_error("title", "Give the offer a title or choose a job post.")
        if data.get("offer_type") == OfferType.BYO:
            if not data.get("freelancer_name", "").strip():
                self.add_error("freelancer_name", "Enter the name of the freelancer you bring.")
            if not data.get("freelancer_email") and "freelancer_email" not in self.errors:
                self.add_error("freelancer_email", "Enter the email of the freelancer you bring.")
            data["freelancer"] = None
        elif data.get("offer_type"):
            if data.get("freelancer") is None and "freelancer" not in self.errors:
                self.add_error("freelancer", "Choose the freelancer from the marketplace.")
            data["freelancer_name"] = ""
            data["freelancer_email"] = ""
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "job": data["job"],
            "offer_type": data["offer_type"],
            "freelancer": data["freelancer"],
            "freelancer_name": data["freelancer_name"].strip(),
            "freelancer_email": data["freelancer_email"].lower(),
            "contract_type": data["contract_type"],
            "amount": data["amount"],
            "currency": data["currency"],
            "weekly_hour_limit": data["weekly_hour_limit"],
            "start_date": data["start_date"],
            "justification": data["justification"].strip(),
            "approver": data.get("approver"),
        }


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", "Approve"), ("decline", "Decline")])
    comment = forms.CharField(
        label="Comment (optional)",
        widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000,
        help_text="Optional. The hiring manager sees it.",
    )


class OutOfOfficeForm(forms.Form):
    """An approver's period away and their delegate. Validates input; the service decides."""

    delegate = forms.ModelChoiceField(
        queryset=None, empty_label="— Choose who decides for you —",
        help_text="Another approver of your company. They decide your requests while you are away.",
    )
    starts_at = forms.DateTimeField(
        label="From", widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    ends_at = forms.DateTimeField(
        label="Until", widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["delegate"].queryset = selectors.company_approvers(user=user)

    def clean(self):
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", "The period must end after it starts.")

class RequestIdsField(forms.Field):
    """Request ids posted as several values of one name (checkboxes, hidden inputs)."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {"invalid": "Choose the requests from the Pending list."}

    def to_python(self, value) -> list[int]:
        try:
            ids = [int(item) for item in value or []]
        except (TypeError, ValueError):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        if any(not 0 < item < 2**63 for item in ids):  # beyond a bigint PostgreSQL refuses it
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return ids


class DecideManyForm(DecisionForm):
    """Several requests decided with one comment: the ticked ``ids``, plus every request of the
    page (``page_ids``) when "Select all on this page" is ticked, so that box works without
    JavaScript. Refuses an empty selection and more than the service's limit."""

    decision = forms.ChoiceField(
        choices=DecisionForm.base_fields["decision"].choices, widget=forms.HiddenInput,
        error_messages={
            "required": "Choose Approve selected or Decline selected.",
            "invalid_choice": "Choose Approve selected or Decline selected.",
        },
    )
    comment = forms.CharField(
        label="Comment (optional)",
        widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000,
        help_text="One comment for every request you decide. Each hiring manager sees it.",
    )
    ids = RequestIdsField(required=False)
    all_on_page = forms.BooleanField(required=False)
    page_ids = RequestIdsField(required=False)

    def clean(self):
        data = super().clean()
        if "ids" in self.errors or "page_ids" in self.errors:
            return data
        selected = data.get("ids", []) + (data.get("page_ids", []) if data.get("all_on_page") else [])
        data["selected"] = list(dict.fromkeys(selected))
        if not data["selected"]:
            self.add_error(
                None, "Select at least one request: tick its box, or “Select all on this page”."
            )
        elif len(data["selected"]) > services.BULK_DECISION_LIMIT:
            self.add_error(None, f"Select at most {services.BULK_DECISION_LIMIT} requests at once.")
        return data


class CancelForm(forms.Form):
    reason = forms.CharField(
        label="Reason (optional)",
        widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000,
        help_text="Optional. The approvers see it.",
    )


# The longest period a report covers, so one query never scans years of decisions at once.
MAX_REPORT_DAYS = 366
DEFAULT_REPORT_DAYS = 30


class ReportPeriodForm(forms.Form):
    """The period of the approval reports: from and to, both days included, in the reader's
    time zone. Left empty: the last 30 days up to today."""

    start = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Enter the first day as a date, e.g. 2026-11-01."},
    )
    end = forms.DateField(
        label="To", required=False, widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Enter the last day as a date, e.g. 2026-11-30."},
    )

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        end = cleaned.get("end") or self.today
        start = cleaned.get("start") or end - datetime.timedelta(days=DEFAULT_REPORT_DAYS)
        if start > end:
            self.add_error("start", "The first day must be on or before the last day.")
        elif (end - start).days > MAX_REPORT_DAYS:
            self.add_error("start", f"Choose a period of at most {MAX_REPORT_DAYS} days.")
        cleaned["start"], cleaned["end"] = start, end
        return cleaned
