from django import template
from django.utils import timezone
from django.utils.timesince import timesince, timeuntil

register = template.Library()

# The site is in English only: the month names need no translation lookup per date.
_MONTHS = ("", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@register.filter(expects_localtime=True)
def day(value):
    """"Dec 6, 2026" in the reader's zone: what ``|date:"M j, Y"`` writes, without parsing the
    format on every call (a list shows one or two per row)."""
    if not value:
        return ""
    return f"{_MONTHS[value.month]} {value.day}, {value.year}"


@register.filter
def relative_deadline(value):
    """"expires in 3 days" / "expired 2 hours ago": the largest unit only, as a glance needs."""
    if not value:
        return ""
    now = timezone.now()
    if value > now:
        return f"expires in {timeuntil(value, now, depth=1)}"
    return f"expired {timesince(value, now, depth=1)} ago"
