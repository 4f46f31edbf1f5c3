from django import forms


class NotificationSettingsForm(forms.Form):
    """The kinds the person wants by email, among the kinds the page offered them."""

    email = forms.MultipleChoiceField(required=False)

    def __init__(self, *args, kinds: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].choices = [(kind, kind) for kind in kinds]
        self.fields["email"].error_messages["invalid_choice"] = (
            "That kind of email is not one you can choose. Reload the page and try again."
        )
