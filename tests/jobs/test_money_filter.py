"""Every amount is shown through one filter (jobs/templatetags/money.py), so it reads the same
on every page and in every email."""

from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

from django.conf import settings
from django.template import Context, Template

from jobs.terms import format_money


def _render(source, **context):
    return Template("{% load money %}" + source).render(Context(context))


def test_money_rate_and_budget_read_like_format_money():
    offer = SimpleNamespace(amount=Decimal("90"), currency="USD", contract_type="hourly")
    job = SimpleNamespace(budget_amount=Decimal("6000"), budget_currency="EUR", contract_type="fixed")
    assert _render("{{ amount|money:'USD' }}", amount=Decimal("6000")) == "6,000.00 USD"
    assert _render("{{ offer|rate }}", offer=offer) == "90.00 USD/h" == format_money(90, "USD", "hourly")
    assert _render("{{ job|budget }}", job=job) == "6,000.00 EUR"


def test_no_template_formats_money_by_hand():
    templates = Path(settings.BASE_DIR) / "templates"
    by_hand = [
        str(path.relative_to(templates))
        for path in templates.rglob("*.html")
        if "floatformat" in path.read_text()
    ]
    assert list(templates.rglob("*.html"))
    assert by_hand == []
