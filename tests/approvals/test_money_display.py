"""Amounts read the same on approval pages and emails as on offer pages: 12,500.00 USD."""

from decimal import Decimal

import pytest
from django.urls import reverse

from approvals import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def big_request(make_request):
    return make_request(contract_type="fixed", weekly_hour_limit=None, amount=Decimal("12500.00"))


def test_request_page_and_dashboard_show_thousands_separators(client, team, big_request):
    client.force_login(team.manager)
    for url in (reverse("approvals:detail", args=[big_request.pk]), reverse("approvals:dashboard")):
        page = client.get(url).content.decode()
        assert "12,500.00 USD" in page and "12500.00" not in page, url


def test_emails_show_thousands_separators(team, big_request, mailoutbox,
                                          django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.approval_request_approve(approval_request_id=big_request.pk, actor=team.approver)
    [message] = mailoutbox
    assert "12,500.00 USD" in message.body and "12,500.00 USD" in message.alternatives[0][0]
