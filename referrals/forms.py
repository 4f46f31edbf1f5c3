from django import forms

from jobs.forms import DeclineForm


class ReferForm(DeclineForm):
    """Decline and refer: the decline reason, the picked freelancer and an optional note."""

    # Hidden and optional here: the service says "Pick the freelancer" when it is missing.
    freelancer = forms.IntegerField(widget=forms.HiddenInput, required=False)
    note = forms.CharField(
        required=False, max_length=1000, label="Note to the freelancer (optional)",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Shown on their invite and in their email, next to your name.",
    )

    field_order = ["reason", "details", "note", "freelancer"]

    def __init__(self, *args, needs_reason: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not needs_reason:
            # The invite was declined earlier: it keeps the reason given then.
            del self.fields["reason"]
            del self.fields["details"]

    def clean(self):
        if "reason" not in self.fields:
            return forms.Form.clean(self)
        return super().clean()

    @property
    def decline_reason(self) -> str:
        return super().decline_reason if "reason" in self.fields else ""
