from django import forms
from django.forms.models import ModelChoiceIterator

from accounts.models import User
from accounts.selectors import marketplace_freelancers
from approvals.models import ApprovalRequest
from jobs.forms import ContractTermsForm, FreelancerChoiceField
from jobs.models import Job
from jobs.selectors import job_choices_for_company
from jobs.terms import OfferType, format_money

from . import selectors

REQUEST_APPROVAL = "new"

class _ApprovalChoices(ModelChoiceIterator):
    """The usable approvals, then a "Request approval" choice (handled by the view)."""

    def __iter__(self):
        yield from super().__iter__()
        yield (REQUEST_APPROVAL, "Request approval…")

    def __len__(self):
        return super().__len__() + 1


class ApprovalChoiceField(forms.ModelChoiceField):
    """Labelled so the right request is easy to pick: title, freelancer, amount, approver, expiry."""

    iterator = _ApprovalChoices

    def label_from_instance(self, obj):
        amount = format_money(obj.amount, obj.currency, obj.contract_type)
        return (
            f"{obj.title} — {obj.freelancer_display} — {amount} — approved by {obj.decided_by_names} "
            f"— valid until {obj.expires_at:%b %d, %Y}"
        )


class OfferTermsForm(ContractTermsForm):
    """The terms an offer carries and a modification may change: a title, the contract terms
    (with the bounds of ContractTermsForm) and a message."""

    field_order = [
        "title", "contract_type", "amount", "currency", "weekly_hour_limit", "start_date", "message",
    ]

    title = forms.CharField(max_length=200, error_messages={"required": "Give the offer a title."})
    message = forms.CharField(
        required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4}),
        help_text="A note for the freelancer.",
    )

    def terms(self) -> dict:
        return {name: self.cleaned_data[name] for name in OfferTermsForm.base_fields}


class OfferForm(OfferTermsForm):
    """Send an offer. With approvals enabled, one of the manager's usable approvals is required.

    The freelancer: a marketplace freelancer for direct and payroll offers; a BYO offer may
    instead name someone by name and email (an email that belongs to an active marketplace
    freelancer is matched to that account; any other email is treated as someone not on the
    marketplace, so the form never reveals whether an account exists). A job post is required
    for BYO, optional otherwise.
    """

    field_order = [
        "approval_request", "offer_type", "title", "job", "freelancer", "freelancer_name",
        "freelancer_email", "contract_type", "amount", "currency", "weekly_hour_limit", "start_date",
        "message",
    ]

    approval_request = ApprovalChoiceField(
        queryset=ApprovalRequest.objects.none(), required=False, label="Approved request",
        empty_label="Choose an approved request…",
        help_text="Only your approved, unexpired, unused requests are listed.",
        error_messages={
            "invalid_choice": "That is not one of your approved, unused requests. Choose one from the list.",
        },
    )
    offer_type = forms.ChoiceField(choices=OfferType.choices, initial=OfferType.DIRECT)
    job = forms.ModelChoiceField(
        queryset=Job.objects.none(), required=False, label="Job post", empty_label="No job post",
        help_text="Optional for direct and payroll offers; required for BYO.",
        error_messages={"invalid_choice": "Choose one of your company's job posts."},
    )
    freelancer = FreelancerChoiceField(
        queryset=User.objects.none(), required=False, label="Freelancer on the marketplace",
        help_text="Direct and payroll offers: type their name, or their whole email address.",
    )
    freelancer_name = forms.CharField(
        max_length=150, required=False, label="BYO freelancer's name",
        help_text="BYO only: someone not on the marketplace yet.",
    )
    freelancer_email = forms.EmailField(required=False, label="BYO freelancer's email")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.company = user.membership.company
        self.fields["job"].queryset = job_choices_for_company(user=user)
        self.fields["freelancer"].queryset = marketplace_freelancers()
        if self.company.approvals_enabled:
            self.fields["approval_request"].queryset = selectors.usable_approvals_for_manager(user=user)
        else:
            del self.fields["approval_request"]

    def clean_approval_request(self):
        approval_request = self.cleaned_data.get("approval_request")
        if approval_request is None:
            raise forms.ValidationError(
                "Your company requires an approved request for every offer: choose one, "
                "or request approval."
            )
        return approval_request

    def clean(self):
        cleaned = super().clean()
        offer_type = cleaned.get("offer_type")
        freelancer = cleaned.get("freelancer")
        if offer_type == OfferType.BYO:
            if cleaned.get("job") is None and "job" not in self.errors:
                self.add_error("job", "A BYO offer is for one of your job posts: choose it.")
            if freelancer is None and "freelancer" not in self.errors:
                self._clean_byo_freelancer(cleaned)
            else:
                cleaned["freelancer_name"] = cleaned["freelancer_email"] = ""
        elif offer_type:
            cleaned["freelancer_name"] = cleaned["freelancer_email"] = ""
            if freelancer is None and "freelancer" not in self.errors:
                self.add_error("freelancer", "Choose the freelancer from the marketplace.")
        freelancer = cleaned.get("freelancer")
        if freelancer is not None and (freelancer.pk == self.user.pk or freelancer.is_client):
            self.add_error("freelancer", "Offers go to freelancers, not to members of a client company.")
        return cleaned

    def _clean_byo_freelancer(self, cleaned):
        name = (cleaned.get("freelancer_name") or "").strip()
        email = (cleaned.get("freelancer_email") or "").strip().lower()
        if "freelancer_email" in self.errors:
            return
        if not email:
            self.add_error(
                "freelancer_email",
                "Choose a marketplace freelancer, or give the BYO freelancer's name and email.",
            )
            return
        existing = User.objects.filter(email__iexact=email).select_related("freelancer_profile").first()
        if existing is not None and existing.is_freelancer and existing.is_active:
            cleaned["freelancer"] = existing  # already on the marketplace: use the account
            cleaned["freelancer_name"] = cleaned["freelancer_email"] = ""
            return
        # Any other email (unknown, a client's, a closed account's) is a BYO freelancer not on
        # the marketplace, answered alike: the form never tells whether an account exists.
        if not name:
            self.add_error("freelancer_name", "Give the BYO freelancer's name.")
            return
        cleaned["freelancer_name"], cleaned["freelancer_email"] = name, email

    def offer_kwargs(self) -> dict:
        data = self.cleaned_data
        approval_request = data.get("approval_request")
        return {
            **self.terms(),
            "offer_type": data["offer_type"],
            "job": data["job"],
            "freelancer": data["freelancer"],
            "freelancer_name": data["freelancer_name"],
            "freelancer_email": data["freelancer_email"],
            "approval_request_id": approval_request.pk if approval_request else None,
        }


class OfferDeclineForm(forms.Form):
    reason = forms.CharField(
        max_length=2000, widget=forms.Textarea(attrs={"rows": 3}), label="Why do you decline?",
        help_text="The client sees this.",
        error_messages={"required": "Tell the client why you decline the offer."},
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Tell the client why you decline the offer.")
        return reason
