from django import forms

from .models import Job


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
