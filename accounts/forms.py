from django import forms
from django.contrib.auth.forms import AuthenticationForm

from .timezones import DEFAULT_TIME_ZONE, time_zone_names


class SignInForm(AuthenticationForm):
    username = forms.EmailField(
        label="Email", widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )

    # Filled by static/js/app.js with the browser's zone; without JavaScript it stays empty.
    time_zone = forms.CharField(required=False, widget=forms.HiddenInput)

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "That email and password do not match an account. Check both and try again.",
    }

    def clean_username(self):
        return self.cleaned_data["username"].strip().lower()


def _time_zone_choices() -> list:
    """Zones grouped by their region ("America", "Europe", ...); UTC and lone names first."""
    groups: dict[str, list] = {}
    for name in sorted(time_zone_names()):
        region, _, place = name.partition("/")
        if place and region != "Etc":
            groups.setdefault(region, []).append((name, place.replace("_", " ")))
        else:
            groups.setdefault("", []).append((name, name))
    lone = groups.pop("", [])
    lone.sort(key=lambda choice: choice[0] != DEFAULT_TIME_ZONE)  # UTC on top
    return [*lone, *groups.items()]


class TimeZoneForm(forms.Form):
    time_zone = forms.ChoiceField(
        label="Time zone",
        help_text="Dates and times on pages and in your emails are shown in this zone.",
        error_messages={
            "invalid_choice": "“%(value)s” is not a time zone we know. Choose one from the list.",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = _time_zone_choices()
