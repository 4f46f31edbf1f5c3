"""How every amount reads on a page: ``{% load money %}``.

- ``{{ amount|money:currency }}`` → ``6,000.00 USD``
- ``{{ terms|rate }}`` for anything with amount, currency and contract type (a request, an
  offer, a revision) → ``6,000.00 USD``, or ``90.00 USD/h`` for an hourly rate
- ``{{ job|budget }}`` for a job post's budget, read the same way
"""

from django import template

from jobs.terms import format_money

register = template.Library()


@register.filter
def money(amount, currency=""):
    return format_money(amount, currency)


@register.filter
def rate(terms):
    return format_money(terms.amount, terms.currency, terms.contract_type)


@register.filter
def budget(job):
    """A job post's budget: ``{{ job|budget }}`` → ``500.00 USD``, or ``40.00 USD/h`` for an hourly job."""
    return format_money(job.budget_amount, job.budget_currency, job.contract_type)
