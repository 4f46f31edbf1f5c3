from django import template
from django.utils import timezone
from django.utils.timesince import timesince, timeuntil

register = template.Library()


@register.filter
def relative_deadline(value):
    """"expires in 3 days" / "expired 2 hours ago": the largest unit only, as a glance needs."""
    if not value:
        return ""
    now = timezone.now()
    if value > now:
        return f"expires in {timeuntil(value, now, depth=1)}"
    return f"expired {timesince(value, now, depth=1)} ago"
