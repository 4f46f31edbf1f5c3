from django import forms

from accounts.selectors import marketplace_freelancers
from jobs.forms import DeclineForm, FreelancerChoiceField, freelancer_search_url


class ReferForm(DeclineForm):
    """Decline and refer: the decline reason, the freelancer to refer and an optional note.

    The freelancer is typed or searched as you type (FreelancerChoiceField); referring yourself
    is refused here, on the spot, and every other rule by the service on submit.
    """

    freelancer = FreelancerChoiceField(
        queryset=None, label="Freelancer to refer",
        error_messages={"required": "Type the name or email of the freelancer you want to refer."},
    )
    note = forms.CharField(
        required=False, max_length=1000, label="Note to the freelancer (optional)",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Shown on their invite and in their email, next to your name.",
    )

    field_order = ["freelancer", "reason", "details", "note"]

    def __init__(self, *args, invite, referrer, needs_reason: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.referrer = referrer
        field = self.fields["freelancer"]
        field.queryset = marketplace_freelancers()
        field.job = invite.job
        field.search_url = freelancer_search_url(invite=invite)
        if not needs_reason:
            # The invite was declined earlier: it keeps the reason given then.
            del self.fields["reason"]
            del self.fields["details"]

    def clean_freelancer(self):
        freelancer = self.cleaned_data["freelancer"]
        if freelancer is not None and freelancer.pk == self.referrer.pk:
            raise forms.ValidationError("You cannot refer yourself. Pick another freelancer.")
        return freelancer

    def clean(self):
        if "reason" not in self.fields:
            return forms.Form.clean(self)
        return super().clean()

    @property
    def decline_reason(self) -> str:
        return super().decline_reason if "reason" in self.fields else ""
