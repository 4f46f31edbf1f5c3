"""`{% load paths %}`: links in the rows of a list without a `{% url %}` per row.

- ``{{ offer.pk|path:"offers:offer_detail" }}`` → ``/offers/42/``, as ``{% url "offers:offer_detail"
  offer.pk %}`` writes it, from a path reversed once per process (accounts.paths).
"""

from django import template
from django.utils.safestring import mark_safe

from accounts.paths import path_to

register = template.Library()


@register.filter(is_safe=True)
def path(object_id, viewname):
    return mark_safe(path_to(viewname, object_id))
