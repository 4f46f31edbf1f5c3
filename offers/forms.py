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
