"""A resubmission carries its context: the form shows why the old request was declined, and
the new request's page shows what changed since (old → new), term by term."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from approvals import services
from approvals.models import ApprovalRequest
from approvals.selectors import approval_request_changes

pytestmark = pytest.mark.django_db
START = timezone.localdate() + datetime.timedelta(days=7)


@pytest.fixture
def declined(team, make_request):
    old = make_request(
        title="Senior Django developer", amount="120.00", weekly_hour_limit=30, start_date=START,
        justification="Backfill.",
    )
    services.approval_request_decline(
        approval_request_id=old.pk, actor=team.approver, comment="Too expensive for a backfill."
    )
    return old


def _resubmit(client, team, old, **overrides):
    data = {
        "title": old.title, "offer_type": "direct", "freelancer": team.freelancer.pk,
        "contract_type": "hourly", "amount": "120.00", "currency": "USD", "weekly_hour_limit": "30",
        "start_date": START.isoformat(), "justification": "Backfill.", "approver": team.approver.pk,
        **overrides,
    }
    client.force_login(team.manager)
    assert client.post(reverse("approvals:resubmit", args=[old.pk]), data).status_code == 302
    return ApprovalRequest.objects.exclude(pk=old.pk).get()


def test_resubmit_form_shows_the_decline_reason(client, team, declined):
    client.force_login(team.manager)
    page = client.get(reverse("approvals:resubmit", args=[declined.pk])).content.decode()
    assert "Alan Approver declined it" in page and "Too expensive for a backfill." in page


def test_approver_sees_what_changed_since_the_declined_request(client, team, declined):
    new = _resubmit(
        client, team, declined, amount="95.00", weekly_hour_limit="20",
        justification="Backfill, fewer hours.",
    )
    client.force_login(team.approver)
    page = client.get(reverse("approvals:detail", args=[new.pk])).content.decode()
    section = page.split('<section class="card changes-since">')[1].split("</section>")[0]
    assert f"Changed since request #{declined.pk} (declined)" in section
    assert "<dt>Amount</dt><dd><del>120.00</del> → <ins>95.00</ins></dd>" in section
    assert "<dt>Weekly hour limit</dt><dd><del>30 hours</del> → <ins>20 hours</ins></dd>" in section
    assert "<del>Backfill.</del> → <ins>Backfill, fewer hours.</ins>" in section
    assert "<dt>Title</dt>" not in section and "<dt>Currency</dt>" not in section


def test_the_comparison_covers_every_term(team, make_request):
    other = make_request(freelancer=None, freelancer_name="Bob", freelancer_email="bob@outside.test")
    previous = make_request(title="A", amount="100.00", currency="USD", contract_type="hourly",
                            weekly_hour_limit=30, start_date=START, justification="")
    current = make_request(title="B", amount="1000.00", currency="EUR", contract_type="fixed",
                           weekly_hour_limit=None, start_date=START + datetime.timedelta(days=1),
                           justification="Why", freelancer=None, freelancer_name="Bob",
                           freelancer_email="bob@outside.test")
    changes = {c["label"]: (c["before"], c["after"]) for c in
               approval_request_changes(previous=previous, current=current)}
    assert changes["Title"] == ("A", "B")
    assert changes["Amount"] == ("100.00", "1,000.00")
    assert changes["Currency"] == ("USD", "EUR")
    assert changes["Contract"] == ("Hourly", "Fixed price")
    assert changes["Weekly hour limit"] == ("30 hours", "—")
    assert changes["Justification"] == ("—", "Why")
    assert changes["Freelancer"][1] == "Bob <bob@outside.test>"
    assert set(changes) == {"Title", "Amount", "Currency", "Contract", "Weekly hour limit", "Start date",
                            "Justification", "Freelancer"}
    assert approval_request_changes(previous=other, current=other) == []


def test_nothing_changed_says_so(client, team, declined):
    new = _resubmit(client, team, declined)
    client.force_login(team.approver)
    page = client.get(reverse("approvals:detail", args=[new.pk])).content.decode()
    assert f"Nothing changed: the terms are the same as in request #{declined.pk}." in page
