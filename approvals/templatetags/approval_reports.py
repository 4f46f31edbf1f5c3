from django import template

from approvals.reports import duration_text

register = template.Library()


@register.filter
def duration(value):
    """A time to decision as people read it: "2 d 3 h", "45 min"; "—" for none."""
    return duration_text(value)
